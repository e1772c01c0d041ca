package dev.meshd.bench;

import dev.meshd.core.blocking.BoundedCommand;
import dev.meshd.fabric.libfabric.LibfabricProbeResponder;
import dev.meshd.fabric.libfabric.LibfabricTcpProbe;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.libfabric.PingPongResult;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * meshd's libfabric {@code tcp} path against the reference, {@code fi_pingpong}, on loopback.
 *
 * <p>Usage: {@code bin/mesh-bench fabric-libfabric [--sizes 4k,64k,1m] [--iterations 1000]
 * [--rounds 3]}. For each size and round, in this order:
 *
 * <ul>
 *   <li>meshd ping-pong: {@link LibfabricTcpProbe#pingPong} against an in-process
 *       {@link LibfabricProbeResponder}, the same work as {@code fi_pingpong -S size -I
 *       iterations} (one message each way per iteration, after the connection is set up), so
 *       {@code usec/xfer} and {@code MB/sec} are computed as fi_pingpong computes them;
 *   <li>fi_pingpong: {@code fi_pingpong -p tcp -e rdm -S size -I iterations} as server and
 *       client on 127.0.0.1 (the client's table is parsed);
 *   <li>meshd bulk: the payload probe ({@code iterations} messages of {@code size}, each
 *       CRC32C-verified by the responder), one direction, in decimal MB/s.
 * </ul>
 *
 * <p>With more than one round, the median and the best round of each column follow (best:
 * lowest latency, highest rate), since on a shared machine the best round is the one least
 * disturbed by others. Both run the same provider ({@code tcp;ofi_rxm}, {@code FI_EP_RDM}) with busy polling, in
 * two threads (meshd: client and responder in this JVM; fi_pingpong: two processes). Before the
 * first round a short ping-pong warms meshd's JIT; fi_pingpong needs none.
 */
public final class LibfabricTcpBench {

  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private LibfabricTcpBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(4 << 10, 64 << 10, 1 << 20);
    int iterations = 1000;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(","))
            .map(s -> (int) FiPingpongOutput.size(s.strip())).toList();
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (expected: --sizes, --iterations, --rounds)");
      }
    }
    Optional<Path> fiPingpong =
        BoundedCommand.findOnPath("fi_pingpong", System.getenv("PATH"));
    int largest = sizes.stream().max(Integer::compare).orElseThrow();
    LibfabricTransportConfig config =
        LibfabricTransportConfig.loopback().withMaxMessageBytes(Math.max(largest, 1 << 20));
    try (LibfabricProbeResponder responder = LibfabricProbeResponder.start(config)) {
      LibfabricTcpProbe probe = new LibfabricTcpProbe(config);
      byte[] peer = responder.address();
      System.out.printf("libfabric tcp on loopback: provider %s, %d iterations per run, %d"
          + " round(s), %d cores%n", responder.provider(), iterations, rounds,
          Runtime.getRuntime().availableProcessors());
      probe.pingPong(peer, 4096, 2000, DEADLINE);
      System.out.printf("%-6s %5s | %12s %12s %7s | %12s %12s %7s | %14s%n", "size", "round",
          "meshd us/x", "fi_pp us/x", "ratio", "meshd MB/s", "fi_pp MB/s", "ratio",
          "meshd bulk MB/s");
      for (int size : sizes) {
        List<double[]> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          PingPongResult meshd = probe.pingPong(peer, size, iterations, DEADLINE);
          Optional<FiPingpongOutput.Row> reference = fiPingpong.isEmpty()
              ? Optional.empty() : runFiPingpong(fiPingpong.get(), size, iterations);
          ProbeResult bulk = probe.probe(peer, new ProbeSpec(16, size, iterations, DEADLINE));
          double[] row = {meshd.microsPerTransfer(),
              reference.map(FiPingpongOutput.Row::microsPerTransfer).orElse(Double.NaN),
              meshd.megabytesPerSecond(),
              reference.map(FiPingpongOutput.Row::megabytesPerSecond).orElse(Double.NaN),
              bulk.bytesPerSecond() / 1e6};
          rows.add(row);
          print(label(size), String.valueOf(round), row);
        }
        if (rounds > 1) {
          double[] median = new double[5];
          double[] best = new double[5];
          for (int c = 0; c < median.length; c++) {
            int column = c;
            double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            median[c] = values[values.length / 2];
            // Latency columns (0, 1): the lowest is best; rates (2, 3, 4): the highest.
            best[c] = c < 2 ? values[0] : values[values.length - 1];
          }
          print(label(size), "median", median);
          print(label(size), "best", best);
        }
      }
      if (fiPingpong.isEmpty()) {
        System.out.println("fi_pingpong not on PATH (apt-get install libfabric-bin): "
            + "reference columns are NaN");
      }
      System.out.println("ratio = meshd / fi_pingpong (us/x: below 1 is faster; MB/s: above 1"
          + " is faster). MB/s as fi_pingpong counts it: both directions, decimal.");
    }
  }

  private static void print(String size, String round, double[] row) {
    System.out.printf("%-6s %5s | %12.2f %12.2f %7.2f | %12.2f %12.2f %7.2f | %14.1f%n",
        size, round, row[0], row[1], row[0] / row[1], row[2], row[3], row[2] / row[3], row[4]);
  }

  /**
   * One fi_pingpong server and client on a free port; the client's row, or empty (with the
   * reason printed) when either fails.
   */
  private static Optional<FiPingpongOutput.Row> runFiPingpong(Path tool, int size,
      int iterations) throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> common = List.of(tool.toString(), "-p", "tcp", "-e", "rdm", "-S",
        String.valueOf(size), "-I", String.valueOf(iterations));
    Path serverLog = Files.createTempFile("fi_pingpong-server", ".txt");
    List<String> serverCommand = new ArrayList<>(common);
    serverCommand.addAll(List.of("-B", String.valueOf(port)));
    Process server = new ProcessBuilder(serverCommand).redirectErrorStream(true)
        .redirectOutput(serverLog.toFile()).start();
    try {
      List<String> clientCommand = new ArrayList<>(common);
      clientCommand.addAll(List.of("-P", String.valueOf(port), "127.0.0.1"));
      // The server needs a moment to listen on its control port: retry a refused client.
      for (int attempt = 0; attempt < 50; attempt++) {
        BoundedCommand.Outcome outcome =
            BoundedCommand.run(clientCommand, Map.copyOf(System.getenv()), DEADLINE);
        if (outcome instanceof BoundedCommand.Outcome.Exited(int status, String out, String err)
            && status == 0) {
          List<FiPingpongOutput.Row> rows = FiPingpongOutput.parse(out);
          return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getLast());
        }
        if (!server.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      System.out.println("fi_pingpong failed: " + Files.readString(serverLog,
          StandardCharsets.UTF_8).strip());
      return Optional.empty();
    } finally {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      Files.deleteIfExists(serverLog);
    }
  }

  private static String label(int size) {
    if (size % (1 << 20) == 0) {
      return (size >> 20) + "m";
    }
    return size % 1024 == 0 ? (size >> 10) + "k" : String.valueOf(size);
  }
}
