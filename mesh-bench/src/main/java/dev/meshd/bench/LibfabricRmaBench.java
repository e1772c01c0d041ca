package dev.meshd.bench;

import dev.meshd.fabric.libfabric.LibfabricProbeResponder;
import dev.meshd.fabric.libfabric.LibfabricTcpProbe;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code rdma} transport's RMA path against the {@code libfabric-tcp} transport's send path,
 * both over {@code tcp;ofi_rxm} on loopback, in one run: what the RMA choreography (a
 * {@code fi_write} per message into the responder's registered slot, a WRITTEN message after
 * its delivery, a CREDIT back per slot) costs or gains against plain sends of the same bytes.
 * On a real RDMA NIC the write is placed by the NIC; here the provider emulates it over TCP,
 * so this measures meshd's code path, not RDMA hardware.
 *
 * <p>Usage: {@code bin/mesh-bench fabric-rdma [--sizes 64k,1m] [--messages 256] [--rounds 3]}.
 * Per size and round: the send probe and the RMA probe, each {@code messages} messages of
 * {@code size} with every message's CRC32C verified by the responder, and each probe's median
 * ping RTT. With several rounds, the median of each column follows.
 */
public final class LibfabricRmaBench {

  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private LibfabricRmaBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(64 << 10, 1 << 20);
    int messages = 256;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(","))
            .map(s -> (int) FiPingpongOutput.size(s.strip())).toList();
        case "--messages" -> messages = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (expected: --sizes, --messages, --rounds)");
      }
    }
    int largest = sizes.stream().max(Integer::compare).orElseThrow();
    LibfabricTransportConfig config =
        LibfabricTransportConfig.loopback().withMaxMessageBytes(Math.max(largest, 1 << 20));
    try (LibfabricProbeResponder sends = LibfabricProbeResponder.start(config);
        LibfabricProbeResponder writes = LibfabricProbeResponder.startRma(config)) {
      LibfabricTcpProbe probe = new LibfabricTcpProbe(config);
      RemoteTarget target = writes.target().orElseThrow();
      System.out.printf("libfabric RMA vs send on loopback: provider %s, %d messages per probe,"
          + " %d slot(s) of %d bytes, %d round(s), %d cores%n", writes.provider(), messages,
          target.slots(), target.slotBytes(), rounds, Runtime.getRuntime().availableProcessors());
      // Warm the JIT on both paths.
      probe.probe(sends.address(), new ProbeSpec(16, 64 << 10, 64, DEADLINE));
      probe.probeRma(writes.address(), target, new ProbeSpec(16, 64 << 10, 64, DEADLINE));
      System.out.printf("%-6s %6s | %13s %13s %7s | %11s %11s%n", "size", "round",
          "send MB/s", "rma MB/s", "ratio", "send rtt us", "rma rtt us");
      for (int size : sizes) {
        List<double[]> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          ProbeSpec spec = new ProbeSpec(16, size, messages, DEADLINE);
          ProbeResult send = probe.probe(sends.address(), spec);
          ProbeResult rma = probe.probeRma(writes.address(), target, spec);
          double[] row = {send.bytesPerSecond() / 1e6, rma.bytesPerSecond() / 1e6,
              send.rtt().toNanos() / 1e3, rma.rtt().toNanos() / 1e3};
          rows.add(row);
          print(label(size), String.valueOf(round), row);
        }
        if (rounds > 1) {
          double[] median = new double[4];
          for (int c = 0; c < median.length; c++) {
            int column = c;
            double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            median[c] = values[values.length / 2];
          }
          print(label(size), "median", median);
        }
      }
      System.out.println("ratio = rma / send (above 1: the RMA path is faster). MB/s: payload "
          + "bytes, one direction, decimal, CRC32C-verified at the responder.");
    }
  }

  private static void print(String size, String round, double[] row) {
    System.out.printf("%-6s %6s | %13.1f %13.1f %7.2f | %11.1f %11.1f%n", size, round, row[0],
        row[1], row[1] / row[0], row[2], row[3]);
  }

  private static String label(int size) {
    return size >= 1 << 20 && size % (1 << 20) == 0 ? (size >> 20) + "m"
        : size >= 1 << 10 && size % (1 << 10) == 0 ? (size >> 10) + "k" : String.valueOf(size);
  }
}
