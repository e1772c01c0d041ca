package dev.meshd.bench;

import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.quic.QuicStageClient;
import dev.meshd.fabric.quic.QuicStageConfig;
import dev.meshd.fabric.quic.QuicStageServer;
import dev.meshd.fabric.quic.StageLink;
import dev.meshd.fabric.quic.StageMessage;
import dev.meshd.fabric.tls.AgentCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Throughput of the QUIC stage transport beside a plain TCP socket, on loopback, in one run:
 * the same payload in the same message sizes, one sender and one receiver each, timed from the
 * first byte sent to the receiver's one-byte answer after the last message. QUIC goes through
 * a meshd {@link StageLink} (TLS 1.3, framing, CRC32C, flow control); TCP is a blocking JDK
 * socket writing the raw bytes, the floor any stage transport is measured against. CPU is
 * the whole process's (sender, receiver and their event loops) per GiB moved.
 *
 * <p>{@code mesh-bench fabric-quic [--mib 256] [--message-kib 1024] [--runs 5] [--warmup 2]
 * [--udp-payload 1350]}
 */
public final class QuicTransportBench {
  private static final InetSocketAddress LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private QuicTransportBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> opts = options(args);
    int mib = opts.getOrDefault("mib", 256);
    int messageBytes = opts.getOrDefault("message-kib", 1024) << 10;
    int runs = opts.getOrDefault("runs", 5);
    int warmups = opts.getOrDefault("warmup", 2);
    QuicStageConfig config = QuicStageConfig.defaults()
        .withMaxUdpPayloadBytes(opts.getOrDefault("udp-payload",
            QuicStageConfig.defaults().maxUdpPayloadBytes()));
    int messages = (int) (((long) mib << 20) / messageBytes);
    byte[] payload = new byte[messageBytes];
    new SplittableRandom(1).nextBytes(payload);

    AgentCertificate serverCert = AgentCertificate.generate("bench-server");
    AgentCertificate clientCert = AgentCertificate.generate("bench-client");
    try (QuicStageServer server = QuicStageServer.builder()
            .certificate(serverCert).bindAddress(LOOPBACK).config(config)
            .acceptClient(clientCert.sha256()::equals)
            .linkHandler(QuicTransportBench::drainThenAnswer)
            .build();
        QuicStageClient client = QuicStageClient.builder()
            .certificate(clientCert).localAddress(LOOPBACK).config(config).build()) {
      server.start();
      client.start();
      System.out.printf(Locale.ROOT, "fabric-quic: %d MiB in %d messages of %d KiB, %d runs"
          + " after %d warm-up runs, UDP payload %d bytes, %d cores, load average %.2f%n", mib,
          messages, messageBytes >> 10, runs, warmups, config.maxUdpPayloadBytes(),
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      // Full-size runs of each first, not counted: until the JIT has compiled the QUIC path
      // (codec, framing, buffers) it costs two to four times the CPU it does afterwards.
      for (int i = 0; i < warmups; i++) {
        System.out.printf(Locale.ROOT, "warm-up %d: QUIC %s | TCP %s%n", i + 1,
            quic(client, server, payload, messages), tcp(payload, messages));
      }

      List<Run> quicRuns = new ArrayList<>();
      List<Run> tcpRuns = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Run q = quic(client, server, payload, messages);
        Run t = tcp(payload, messages);
        quicRuns.add(q);
        tcpRuns.add(t);
        System.out.printf(Locale.ROOT, "run %d: QUIC %s | TCP %s%n", i + 1, q, t);
      }
      Run quic = median(quicRuns);
      Run tcp = median(tcpRuns);
      System.out.printf(Locale.ROOT, "median: QUIC %s | TCP %s | QUIC/TCP %.3f%n", quic, tcp,
          quic.bytesPerSecond() / tcp.bytesPerSecond());
      System.out.printf(Locale.ROOT, "load average at the end: %.2f%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      ProbeResult probe = client.probe(server.endpoint(), ProbeSpec.standard());
      System.out.printf(Locale.ROOT, "probe (ProbeSpec.standard(): 16 pings, 64 x 1 MiB,"
          + " connect included): %.1f MB/s, RTT %.3f ms, %d ms in all%n",
          probe.bytesPerSecond() / 1e6, probe.rtt().toNanos() / 1e6,
          probe.elapsed().toMillis());
    }
  }

  /** One timed transfer: throughput and the process CPU it cost per GiB moved. */
  record Run(double bytesPerSecond, double cpuSecondsPerGib) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%8.1f MB/s (%.2f CPU s/GiB)", bytesPerSecond / 1e6,
          cpuSecondsPerGib);
    }
  }

  private static Run quic(QuicStageClient client, QuicStageServer server, byte[] payload,
      int messages) throws Exception {
    try (StageLink link = client.connect(server.endpoint(), PATIENCE)) {
      // The first message says how many follow; the server answers after the last.
      link.send(ByteBuffer.allocate(Integer.BYTES).putInt(0, messages), PATIENCE);
      ByteBuffer message = ByteBuffer.wrap(payload);
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        if (!link.send(message.duplicate(), PATIENCE)) {
          throw new IllegalStateException("QUIC link stayed backpressured for " + PATIENCE);
        }
      }
      link.receive(PATIENCE).orElseThrow(() -> new IllegalStateException("no QUIC answer"));
      return run((long) messages * payload.length, System.nanoTime() - start,
          processCpuNanos() - cpu);
    }
  }

  private static void drainThenAnswer(StageLink link) {
    try {
      int expected = link.receive(PATIENCE).orElseThrow().payload().getInt(0);
      for (int i = 0; i < expected; i++) {
        Optional<StageMessage> message = link.receive(PATIENCE);
        if (message.isEmpty()) {
          return;
        }
      }
      link.send(ByteBuffer.allocate(1), PATIENCE);
    } catch (Exception e) {
      // The client closed the link; the next run opens another.
    }
  }

  private static Run tcp(byte[] payload, int messages) throws Exception {
    long total = (long) messages * payload.length;
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(LOOPBACK);
      Thread receiver = Thread.ofVirtual().start(() -> {
        try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
          byte[] buffer = new byte[payload.length];
          long read = 0;
          while (read < total) {
            int n = in.read(buffer);
            if (n < 0) {
              return;
            }
            read += n;
          }
          socket.getOutputStream().write(1);
        } catch (IOException e) {
          throw new IllegalStateException("TCP receiver: " + e, e);
        }
      });
      try (Socket socket = new Socket()) {
        socket.connect(listener.getLocalSocketAddress());
        OutputStream out = socket.getOutputStream();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          out.write(payload);
        }
        out.flush();
        if (socket.getInputStream().read() < 0) {
          throw new IllegalStateException("no TCP answer");
        }
        Run run = run(total, System.nanoTime() - start, processCpuNanos() - cpu);
        receiver.join();
        return run;
      }
    }
  }

  private static Run run(long bytes, long nanos, long cpuNanos) {
    return new Run(bytes * 1e9 / nanos, cpuNanos / 1e9 / (bytes / (double) (1L << 30)));
  }

  private static Run median(List<Run> runs) {
    Run[] sorted = runs.toArray(Run[]::new);
    Arrays.sort(sorted, (a, b) -> Double.compare(a.bytesPerSecond(), b.bytesPerSecond()));
    return sorted[sorted.length / 2];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static Map<String, Integer> options(String[] args) {
    Set<String> known = Set.of("mib", "message-kib", "runs", "warmup", "udp-payload");
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: mesh-bench fabric-quic [--mib N]"
            + " [--message-kib N] [--runs N] [--warmup N] [--udp-payload BYTES]; got "
            + args[i]);
      }
      String name = args[i].substring(2);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      try {
        int value = Integer.parseInt(args[++i]);
        if (value < minimum(name)) {
          throw new NumberFormatException();
        }
        out.put(name, value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": " + args[i]
            + " (expected: a whole number >= " + minimum(name) + ")");
      }
    }
    return out;
  }

  private static int minimum(String option) {
    return option.equals("warmup") ? 0 : 1;
  }
}
