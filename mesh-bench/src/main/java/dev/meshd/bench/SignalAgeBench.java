package dev.meshd.bench;

import com.sun.net.httpserver.HttpServer;
import dev.meshd.agent.MeshAgent;
import dev.meshd.agent.logging.LoggingSetup;
import dev.meshd.agent.signal.SignalCollector;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.FabricConfig;
import dev.meshd.core.config.GossipConfig;
import dev.meshd.core.config.GossipProfile;
import dev.meshd.core.config.GpuSourceSetting;
import dev.meshd.core.config.GpusConfig;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.ListenConfig;
import dev.meshd.core.config.LoggingConfig;
import dev.meshd.core.config.NodeConfig;
import dev.meshd.core.config.RaftConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.config.RouterConfig;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.config.TelemetryConfig;
import dev.meshd.core.gpu.GpuDiscovery;
import dev.meshd.core.gpu.GpuProbe;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.testkit.FreePorts;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Age of load signals at a router, with N real agents in one JVM on loopback (cluster key and
 * tokens file, as in production): agent n0 has roles gpu and router, every agent has one vLLM
 * runtime played by a tiny fake {@code /metrics} server whose queue value the bench raises every
 * {@code change-ms} (each runtime on its own phase; 0: never, an idle fleet).
 *
 * <p>Usage: {@code bin/mesh-bench signals [agents] [seconds] [change-ms] [scrape-ms]} (defaults
 * 32, 30, 200, 500). Prints, over the measured seconds (after all streams are up):
 *
 * <ul>
 *   <li>age on receipt: each runtime signal's age when its batch reached the router (the age its
 *       sender reported; heartbeats included);
 *   <li>age when read: the router reads every node's signals every 10 ms, as a routing decision
 *       would; the age it sees then, and the share that is stale ({@code router.stale-after});
 *   <li>fast path: from the scrape that first saw a new queue value (the fake server's answer) to
 *       the router holding it;
 *   <li>change to router: from the queue changing on the fake runtime to the router holding it
 *       (includes waiting for the next scrape, on average half a scrape interval);
 *   <li>batches per second at the router, and how many were heartbeats.
 * </ul>
 */
public final class SignalAgeBench {

  private SignalAgeBench() {}

  /** One fake runtime: its queue value, and when each value was set and first served. */
  private static final class FakeRuntime {
    final HttpServer server;
    final AtomicLong queue = new AtomicLong();
    final Map<Long, Long> changedNanos = new ConcurrentHashMap<>();
    final Map<Long, Long> firstServedNanos = new ConcurrentHashMap<>();

    FakeRuntime(ExecutorService executor) throws java.io.IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/metrics", exchange -> {
        long value = queue.get();
        firstServedNanos.putIfAbsent(value, System.nanoTime());
        byte[] body = ("vllm:num_requests_waiting{model_name=\"m\"} " + value + "\n"
            + "vllm:num_requests_running{model_name=\"m\"} 4\n"
            + "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.5\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.setExecutor(executor);
      server.start();
    }

    void change() {
      long next = queue.get() + 1;
      changedNanos.put(next, System.nanoTime());
      queue.set(next);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long changeMs = args.length > 2 ? Long.parseLong(args[2]) : 200;
    long scrapeMs = args.length > 3 ? Long.parseLong(args[3]) : 500;
    LoggingSetup.apply(new LoggingConfig("warn", "text"));
    Path dir = Files.createTempDirectory("meshd-signal-bench");
    ClusterKey key = ClusterKey.generate(new SecureRandom());
    Path keyFile = Files.writeString(dir.resolve("cluster.key"), key.encoded() + "\n");
    Files.setPosixFilePermissions(keyFile,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path tokens = Files.writeString(dir.resolve("tokens.yaml"),
        "tokens:\n  - {name: ops, role: operator, token: \"bench-operator-0123456789\"}\n");
    SecurityConfig security =
        new SecurityConfig(Optional.empty(), Optional.of(tokens), Optional.of(keyFile));
    RouterConfig routerConfig = RouterConfig.defaults();
    ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    List<FakeRuntime> runtimes = new ArrayList<>();
    List<MeshAgent> agents = new ArrayList<>();
    ScheduledExecutorService changer = Executors.newScheduledThreadPool(1);
    try {
      long startNanos = System.nanoTime();
      HostPort seed = null;
      for (int i = 0; i < n; i++) {
        FakeRuntime runtime = new FakeRuntime(httpExecutor);
        runtimes.add(runtime);
        Set<Role> roles = i == 0 ? Set.of(Role.GPU, Role.ROUTER) : Set.of(Role.GPU);
        AgentConfig config = config("n" + i, dir, seed, roles, security,
            new RuntimeConfig(RuntimeKind.VLLM, runtime.endpoint(), List.of("m"),
                Duration.ofMillis(scrapeMs)));
        MeshAgent agent = new MeshAgent(config, new OneGpu(), Clock.systemUTC());
        agents.add(agent);
        agent.start();
        if (seed == null) {
          seed = config.listen().gossip();
        }
      }
      MeshAgent router = agents.getFirst();
      SignalCollector collector = router.signalCollector().orElseThrow();
      waitUntil(() -> collector.streamingFrom().size() == n - 1
          && agents.stream().allMatch(a -> !router.signalView()
              .signals(a.config().node().id()).isEmpty()), Duration.ofMinutes(3));
      double upMs = (System.nanoTime() - startNanos) / 1e6;

      Measurements m = new Measurements();
      Map<String, Double> lastSeen = new ConcurrentHashMap<>();
      Map<String, FakeRuntime> byNode = new ConcurrentHashMap<>();
      for (int i = 0; i < n; i++) {
        byNode.put("n" + i, runtimes.get(i));
      }
      collector.onReceived(nodeId -> {
        if (!m.measuring) {
          return;
        }
        long now = System.nanoTime();
        m.batches.incrementAndGet();
        for (AgedSignal signal : collector.signals(nodeId)) {
          m.ageOnReceipt.add(signal.age().toNanos() / 1e6);
          double queue = signal.signal().load("m").map(l -> l.queueDepth()).orElse(-1.0);
          Double previous = lastSeen.put(nodeId, queue);
          if (previous != null && previous != queue) { // a new value, not the first one seen
            FakeRuntime runtime = byNode.get(nodeId);
            Long served = runtime.firstServedNanos.get((long) queue);
            Long changed = runtime.changedNanos.get((long) queue);
            if (served != null) {
              m.fastPath.add((now - served) / 1e6);
            }
            if (changed != null) {
              m.changeToRouter.add((now - changed) / 1e6);
            }
          } else if (previous != null) {
            m.unchangedBatches.incrementAndGet();
          }
        }
      });
      for (FakeRuntime runtime : runtimes) {
        if (changeMs <= 0) {
          break; // an idle fleet: only heartbeats
        }
        changer.scheduleAtFixedRate(runtime::change,
            ThreadLocalRandom.current().nextLong(changeMs), changeMs, TimeUnit.MILLISECONDS);
      }
      Thread.sleep(2_000); // every runtime has changed a few times: steady state
      m.measuring = true;
      long measureStart = System.nanoTime();
      long readEveryMs = 10;
      long deadline = measureStart + TimeUnit.SECONDS.toNanos(seconds);
      List<Double> ageWhenRead = new ArrayList<>();
      long stale = 0;
      while (System.nanoTime() < deadline) {
        for (int i = 1; i < n; i++) {
          for (AgedSignal signal : router.signalView().signals("n" + i)) {
            ageWhenRead.add(signal.age().toNanos() / 1e6);
            if (signal.isStale(routerConfig.staleAfter())) {
              stale++;
            }
          }
        }
        Thread.sleep(readEveryMs);
      }
      m.measuring = false;
      double measuredSeconds = (System.nanoTime() - measureStart) / 1e9;

      System.out.printf("agents %d (1 router, %d streams), scrape every %d ms, each queue "
          + "changes every %s, measured %.0f s; all streams up %.0f ms after start%n",
          n, n - 1, scrapeMs, changeMs <= 0 ? "never" : changeMs + " ms", measuredSeconds, upMs);
      print("age on receipt", m.ageOnReceipt.stream().toList());
      print("age when read", ageWhenRead);
      System.out.printf("  stale when read (> %d ms): %d of %d%n",
          routerConfig.staleAfter().toMillis(), stale, ageWhenRead.size());
      print("fast path (scrape -> router)", m.fastPath.stream().toList());
      print("change -> router", m.changeToRouter.stream().toList());
      System.out.printf("  batches at the router: %.1f/s (%.1f per agent per s), %d of %d "
          + "carried no new value%n", m.batches.get() / measuredSeconds,
          m.batches.get() / measuredSeconds / (n - 1), m.unchangedBatches.get(),
          m.batches.get());
    } finally {
      changer.shutdownNow();
      for (MeshAgent agent : agents.reversed()) {
        agent.close();
      }
      for (FakeRuntime runtime : runtimes) {
        runtime.server.stop(0);
      }
      httpExecutor.shutdownNow();
    }
  }

  private static final class Measurements {
    volatile boolean measuring;
    final ConcurrentLinkedQueue<Double> ageOnReceipt = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Double> fastPath = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Double> changeToRouter = new ConcurrentLinkedQueue<>();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong unchangedBatches = new AtomicLong();
  }

  private static void print(String what, List<Double> millis) {
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      System.out.printf("  %-30s no samples%n", what);
      return;
    }
    System.out.printf("  %-30s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (%d samples)%n", what,
        percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1],
        sorted.length);
  }

  private static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.clamp(index, 0, sorted.length - 1)];
  }

  private static AgentConfig config(String id, Path dir, HostPort seed, Set<Role> roles,
      SecurityConfig security, RuntimeConfig runtime) {
    ListenConfig listen = new ListenConfig(loopback(), loopback(), loopback(), loopback(),
        loopback(), loopback());
    return new AgentConfig(
        dir.resolve(id + ".yaml"),
        new NodeConfig(id, "host-" + id, "z1", "r1", Map.of(), roles),
        listen,
        new GossipConfig(seed == null ? List.of() : List.of(seed), GossipProfile.LOCAL,
            GossipProfile.LOCAL.tuning()),
        new RaftConfig(dir.resolve("data/" + id), List.of()),
        new GpusConfig(GpuSourceSetting.SIMULATED, List.of(), Path.of("nvidia-smi"),
            "libnvidia-ml.so.1", Duration.ofSeconds(5), Duration.ofSeconds(5)),
        List.of(runtime),
        new FabricConfig(null, null),
        new TelemetryConfig(Optional.empty(), "meshd"),
        security,
        new LoggingConfig("warn", "text"));
  }

  private static HostPort loopback() {
    return new HostPort("127.0.0.1", FreePorts.loopback());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /** One simulated GPU: the bench is about runtimes, not GPUs. */
  private static final class OneGpu implements GpuProbe {
    @Override
    public String name() {
      return "bench";
    }

    @Override
    public GpuDiscovery discover() {
      return GpuDiscovery.found(List.of(new GpuInfo(0, "GPU-bench-0", "H100-80GB",
          80_000_000_000L, 0, 0, "", true, GpuSource.SIMULATED)), "bench");
    }
  }
}
