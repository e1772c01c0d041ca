package dev.meshd.bench;

import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Start time, memory and idle CPU of a real {@code mesh-agent} process (the launcher's defaults:
 * 256 MiB heap cap, serial GC), alone, simulated GPUs.
 *
 * <p>Usage: {@code bin/mesh-bench footprint [runs] [idle-seconds]} (defaults 3, 20). Start time
 * is from process launch to {@code /readyz} answering 200. RSS is {@code VmRSS} from
 * {@code /proc}; idle CPU is user+system time consumed while idle, per second.
 */
public final class AgentFootprintBench {

  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private AgentFootprintBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path root = Path.of(System.getProperty("meshd.root", ".")).toAbsolutePath().normalize();
    double[] startMs = new double[runs];
    long[] rssReadyKb = new long[runs];
    long[] rssIdleKb = new long[runs];
    double[] idleCpuPerSecond = new double[runs];
    for (int run = 0; run < runs; run++) {
      Path dir = Files.createTempDirectory("meshd-footprint");
      int metrics = FreePorts.loopback();
      Path config = dir.resolve("agent.yaml");
      Files.writeString(config, """
          node: {id: bench, host-id: bench-host, roles: [gpu]}
          listen: {grpc: 127.0.0.1:%d, gossip: 127.0.0.1:%d, raft: 127.0.0.1:%d,
                   metrics: 127.0.0.1:%d, router: 127.0.0.1:%d, fabric: 127.0.0.1:%d}
          gossip: {profile: lan}
          gpus: {source: simulated, simulated: [{model: H100-80GB, count: 8, vram-gb: 80}]}
          """.formatted(FreePorts.loopback(), FreePorts.loopback(),
          FreePorts.loopback(), metrics, FreePorts.loopback(),
          FreePorts.loopback()));
      ProcessBuilder pb =
          new ProcessBuilder(root.resolve("bin/mesh-agent").toString(), "start", "--config",
              config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("agent.log").toFile());
      long launched = System.nanoTime();
      Process agent = pb.start();
      try (HttpClient http = HttpClient.newHttpClient()) {
        waitReady(http, metrics, agent, dir);
        startMs[run] = (System.nanoTime() - launched) / 1e6;
        long pid = agent.pid();
        rssReadyKb[run] = rssKb(pid);
        long cpuBefore = cpuTicks(pid);
        Thread.sleep(Duration.ofSeconds(idleSeconds));
        idleCpuPerSecond[run] =
            (cpuTicks(pid) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND / idleSeconds;
        rssIdleKb[run] = rssKb(pid);
      } finally {
        agent.destroy();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
        }
      }
    }
    Arrays.sort(startMs);
    System.out.printf("agent footprint: %d runs, %d s idle each%n", runs, idleSeconds);
    System.out.printf("  start to /readyz: median %.0f ms, min %.0f ms, max %.0f ms%n",
        startMs[runs / 2], startMs[0], startMs[runs - 1]);
    System.out.printf("  RSS at ready: %s MiB; after idle: %s MiB%n", mib(rssReadyKb),
        mib(rssIdleKb));
    System.out.printf("  idle CPU: %s%% of one core%n",
        Arrays.toString(Arrays.stream(idleCpuPerSecond).map(v -> Math.round(v * 1000) / 10.0)
            .toArray()));
  }

  private static void waitReady(HttpClient http, int port, Process agent, Path dir)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
    while (System.nanoTime() < deadline) {
      if (!agent.isAlive()) {
        throw new IllegalStateException("agent exited: " + Files.readString(dir.resolve(
            "agent.log")));
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling until the deadline
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("agent not ready within 60 s");
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[11] is utime, fields[12] stime (fields 14 and 15 of proc(5), after pid and comm).
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String mib(long[] kb) {
    return Arrays.toString(Arrays.stream(kb).map(k -> Math.round(k / 1024.0)).toArray());
  }
}
