package dev.meshd.bench;

import dev.meshd.bench.negotiate.FirstTransport;
import dev.meshd.bench.negotiate.NegotiationSample;
import dev.meshd.bench.negotiate.QuicEnd;
import dev.meshd.bench.negotiate.TimedTransport;
import dev.meshd.bench.negotiate.TimedTransport.Call;
import dev.meshd.bench.negotiate.TimedTransport.Step;
import dev.meshd.core.config.FabricConfig;
import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.negotiate.Fallback;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.TransportTry;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.quic.QuicStageTransport;
import dev.meshd.fabric.tls.AgentCertificate;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Negotiation time, cold and warm, and time to fall back when the first transport fails, in one
 * run. Two ends in one JVM, each with its own certificate, QUIC server and client on loopback
 * and the production {@link QuicStageTransport}, negotiate through the production {@link
 * TransportNegotiator}; the negotiation messages go through an in-memory pair instead of the
 * agents' gRPC stream. In the fallback runs {@code libfabric-tcp} fails first ({@link
 * FirstTransport}: the bench's double in four ways, the production libfabric transport in one);
 * QUIC then succeeds. {@link TimedTransport}
 * notes when each transport call starts and ends, which gives the probe's share and the moment
 * the next try starts. Options: {@link NegotiationBenchOptions}.
 */
public final class FabricNegotiationBench {

  /** What one run found: the links and timings behind every line printed. */
  record Report(List<NegotiationSample> negotiations, List<NegotiationSample> quicOnly,
      Map<String, List<NegotiationSample>> fallbacks) {}

  private FabricNegotiationBench() {}

  public static void main(String[] args) throws Exception {
    run(NegotiationBenchOptions.parse(args), args, System.out);
  }

  static Report run(NegotiationBenchOptions options, String[] args, PrintStream out)
      throws Exception {
    out.println("fabric-negotiate: bin/mesh-bench fabric-negotiate " + String.join(" ", args));
    out.println("  effective: " + options);
    out.println("machine: " + MachineLine.describe());
    out.println("real: TransportNegotiator (offer, answer, tries, result, ack; deadlines; a"
        + " virtual thread per transport call), QuicStageTransport with QuicStageServer/Client"
        + " (TLS 1.3, each end its own certificate, fingerprints pinned, payload probe with"
        + " CRC32C), UDP on 127.0.0.1");
    out.println("in memory: the negotiation messages (a PeerChannel pair in place of the"
        + " FabricService.Negotiate gRPC stream)");
    out.println("fallback runs: libfabric-tcp fails first; (a)-(d) are the bench's double"
        + " (FailingFirstTransport, mesh-bench), (e) is the production LibfabricTcpTransport");

    long setupStart = System.nanoTime();
    AgentCertificate upCert = AgentCertificate.generate(NegotiationSample.UPSTREAM.nodeId());
    AgentCertificate downCert = AgentCertificate.generate(NegotiationSample.DOWNSTREAM.nodeId());
    TimedTransport.Log log = new TimedTransport.Log();
    try (QuicEnd up = QuicEnd.start(upCert, downCert.sha256());
        QuicEnd down = QuicEnd.start(downCert, upCert.sha256())) {
      out.printf(Locale.ROOT, "setup (not counted): 2 certificates, 2 QUIC servers and clients"
          + " in %.0f ms%n", (System.nanoTime() - setupStart) / 1e6);
      TransportNegotiator upQuic = negotiator(List.of(up.transport()), "upstream", log);
      TransportNegotiator downQuic = negotiator(List.of(down.transport()), "downstream", log);
      List<NegotiationSample> negotiations = negotiationTimes(options, upQuic, downQuic, log, out);
      ProbeSpec probe = options.fallbackProbe();
      NegotiationSettings settings = NegotiationSettings.defaults().withProbe(probe);
      out.printf(Locale.ROOT, "%nfallback: libfabric-tcp fails, then quic (real);"
          + " probe %s, try deadline %d ms, %d runs each; ms from the negotiation's start,"
          + " median [min-max]%n", NegotiationBenchOptions.describe(probe),
          probe.deadline().toMillis(), options.fallbackRuns());
      out.printf(Locale.ROOT, "  %-32s %-18s %-9s %-24s %-24s %s%n", "first transport",
          "reason", "state", "it failed at", "next try (quic) starts", "quic result");
      List<NegotiationSample> quicOnly = new ArrayList<>();
      for (int run = 0; run < options.fallbackRuns(); run++) {
        quicOnly.add(expectQuic(NegotiationSample.take(upQuic, downQuic, settings, log)));
      }
      out.printf(Locale.ROOT, "  %-32s %-18s %-9s %-24s %-24s %s%n", "(none: quic only)", "-",
          "UP", "-", stats(quicOnly, s -> s.sinceStart(s.probe("quic").startNanos())),
          stats(quicOnly, NegotiationSample::totalMillis));
      Map<String, List<NegotiationSample>> fallbacks = new LinkedHashMap<>();
      for (FirstTransport first : FirstTransport.all()) {
        fallbacks.put(first.label(),
            fallbacks(first, up, down, settings, options.fallbackRuns(), log, out));
      }
      printDetails(fallbacks, probe, out);
      out.println("machine at the end: " + MachineLine.load());
      return new Report(negotiations, quicOnly, fallbacks);
    }
  }

  /** Part 1: the first probe's cold run and every probe's warm runs, over QUIC alone. */
  private static List<NegotiationSample> negotiationTimes(NegotiationBenchOptions options,
      TransportNegotiator upQuic, TransportNegotiator downQuic, TimedTransport.Log log,
      PrintStream out) throws InterruptedException {
    out.printf(Locale.ROOT, "%nnegotiation time: fabric.order %s, quic the only transport at"
        + " both ends; ms%n", FabricConfig.KNOWN_GROUPS);
    List<NegotiationSample> negotiations = new ArrayList<>();
    for (int i = 0; i < options.probes().size(); i++) {
      ProbeSpec probe = options.probes().get(i);
      NegotiationSettings settings = NegotiationSettings.defaults().withProbe(probe);
      List<NegotiationSample> samples = new ArrayList<>();
      int count = options.warm() + (i == 0 ? 1 : 0);
      for (int run = 0; run < count; run++) {
        samples.add(expectQuic(NegotiationSample.take(upQuic, downQuic, settings, log)));
      }
      printNegotiations(out, probe, i == 0, samples);
      negotiations.addAll(samples);
    }
    return negotiations;
  }

  /** Part 2, one line: {@code first} fails before QUIC, {@code runs} times. */
  private static List<NegotiationSample> fallbacks(FirstTransport first, QuicEnd up,
      QuicEnd down, NegotiationSettings settings, int runs, TimedTransport.Log log,
      PrintStream out) throws InterruptedException {
    TransportNegotiator upstream = negotiator(List.of(first.upstream(), up.transport()),
        "upstream", log);
    TransportNegotiator downstream = negotiator(List.of(first.downstream(), down.transport()),
        "downstream", log);
    List<NegotiationSample> samples = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      samples.add(expectFallback(NegotiationSample.take(upstream, downstream, settings, log),
          first));
    }
    out.printf(Locale.ROOT, "  %-32s %-18s %-9s %-24s %-24s %s%n", first.label(),
        fallback(samples.getFirst()).reason().label(), samples.getFirst().link().state(),
        stats(samples, s -> s.sinceStart(failedCall(s).endNanos())),
        stats(samples, s -> s.sinceStart(s.probe("quic").startNanos())),
        stats(samples, NegotiationSample::totalMillis));
    return samples;
  }

  /** How close to its deadline the hang fell back; what the real libfabric calls cost. */
  private static void printDetails(Map<String, List<NegotiationSample>> fallbacks,
      ProbeSpec probe, PrintStream out) {
    List<NegotiationSample> silent = fallbacks.get(FirstTransport.SILENT_PEER);
    long deadlineNanos = probe.deadline().toNanos();
    out.printf(Locale.ROOT, "  (c): quic's probe started %s ms after the double's probe"
        + " began, i.e. deadline + %s ms%n",
        stats(silent, s -> (s.probe("quic").startNanos()
            - s.probe(FirstTransport.GROUP).startNanos()) / 1e6),
        stats(silent, s -> (s.probe("quic").startNanos()
            - s.probe(FirstTransport.GROUP).startNanos() - deadlineNanos) / 1e6));
    List<NegotiationSample> real = fallbacks.get(FirstTransport.REAL_LIBFABRIC);
    out.printf(Locale.ROOT, "  (e): the upstream's libfabric offer took %s ms, the"
        + " downstream's accept %s ms%n", callStats(real, "upstream", Step.OFFER),
        callStats(real, "downstream", Step.ACCEPT));
  }

  private static void printNegotiations(PrintStream out, ProbeSpec probe, boolean withCold,
      List<NegotiationSample> samples) {
    out.printf(Locale.ROOT, "  probe %s, try deadline %d ms%n",
        NegotiationBenchOptions.describe(probe), probe.deadline().toMillis());
    out.printf(Locale.ROOT, "    %-18s %10s %10s %10s %8s %14s %10s %9s%n", "", "to result",
        "probe", "rest", "probe %", "probe non-bulk", "MB/s", "RTT ms");
    List<NegotiationSample> warm = samples;
    if (withCold) {
      printRow(out, "cold (1st in JVM)", samples.subList(0, 1), 0.5);
      warm = samples.subList(1, samples.size());
    }
    if (warm.isEmpty()) {
      return;
    }
    printRow(out, "warm median (" + warm.size() + ")", warm, 0.5);
    printRow(out, "warm p90", warm, 0.9);
    StringBuilder runs = new StringBuilder();
    for (NegotiationSample sample : warm) {
      runs.append(runs.isEmpty() ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.1f", sample.totalMillis()));
    }
    out.println("    warm runs, to result: " + runs);
  }

  /** One row: each column is its own percentile over the samples (not one sample's figures). */
  private static void printRow(PrintStream out, String label, List<NegotiationSample> samples,
      double p) {
    out.printf(Locale.ROOT, "    %-18s %10.1f %10.1f %10.1f %7.0f%% %14.1f %10.1f %9.3f%n",
        label,
        percentile(samples, NegotiationSample::totalMillis, p),
        percentile(samples, s -> s.probe("quic").millis(), p),
        percentile(samples, s -> s.totalMillis() - s.probe("quic").millis(), p),
        percentile(samples, s -> 100 * s.probe("quic").millis() / s.totalMillis(), p),
        percentile(samples, s -> nonBulkMillis(measured(s.link())), p),
        percentile(samples, s -> s.link().bytesPerSecond() / 1e6, p),
        percentile(samples, s -> s.link().rtt().toNanos() / 1e6, p));
  }

  /** The probe's time outside its bulk phase: QUIC connect and handshake, pings, close. */
  private static double nonBulkMillis(ProbeResult result) {
    double bulkMillis = result.bytesPerSecond() > 0
        ? result.bytesVerified() / result.bytesPerSecond() * 1e3
        : 0;
    return result.elapsed().toNanos() / 1e6 - bulkMillis;
  }

  private static ProbeResult measured(NegotiatedLink link) {
    return link.tries().stream().map(TransportTry::measured).flatMap(java.util.Optional::stream)
        .findFirst().orElseThrow();
  }

  private static TransportNegotiator negotiator(List<StageTransport> transports, String end,
      TimedTransport.Log log) {
    return TransportNegotiator.builder()
        .order(FabricConfig.KNOWN_GROUPS)
        .transports(transports.stream().map(t -> new TimedTransport(t, end, log)).toList())
        .clock(Clock.systemUTC())
        .build();
  }

  /**
   * The sample, once its link is quic and UP.
   *
   * @throws IllegalStateException naming what the link was instead
   */
  private static NegotiationSample expectQuic(NegotiationSample sample) {
    NegotiatedLink link = sample.link();
    if (!link.transport().equals(QuicStageTransport.GROUP) || link.state() != LinkState.UP) {
      throw new IllegalStateException("link: " + link.summary() + " (expected: quic, UP)");
    }
    return sample;
  }

  /**
   * The sample, once its link is quic and usable after {@code first} failed with one of its
   * reasons.
   *
   * @throws IllegalStateException naming what the link was instead
   */
  private static NegotiationSample expectFallback(NegotiationSample sample,
      FirstTransport first) {
    NegotiatedLink link = sample.link();
    boolean reasonSeen = link.fallbacks().stream().anyMatch(
        f -> f.transport().equals(FirstTransport.GROUP) && first.reasons().contains(f.reason()));
    if (!link.transport().equals(QuicStageTransport.GROUP) || !link.isUsable() || !reasonSeen) {
      throw new IllegalStateException(first.label() + ": link " + link.summary()
          + ", fallbacks " + link.fallbacks().stream().map(Fallback::text).toList()
          + " (expected: quic after " + FirstTransport.GROUP + " failed with one of "
          + first.reasons() + ")");
    }
    return sample;
  }

  /** Why the first transport was not used. */
  static Fallback fallback(NegotiationSample sample) {
    return sample.link().fallbacks().stream()
        .filter(f -> f.transport().equals(FirstTransport.GROUP))
        .findFirst().orElseThrow();
  }

  /** The first transport's call that failed: an offer, an accept or a probe. */
  private static Call failedCall(NegotiationSample sample) {
    return sample.calls().stream()
        .filter(c -> c.group().equals(FirstTransport.GROUP) && !c.outcome().equals("ok"))
        .min(java.util.Comparator.comparingLong(Call::endNanos))
        .orElseThrow(() -> new IllegalStateException("no failed " + FirstTransport.GROUP
            + " call: " + sample.calls()));
  }

  /** {@link #stats} of the first transport's {@code step} on {@code end}; "-" when not called. */
  private static String callStats(List<NegotiationSample> samples, String end, Step step) {
    if (samples.stream().anyMatch(s -> s.call(end, FirstTransport.GROUP, step).isEmpty())) {
      return "-";
    }
    return stats(samples, s -> s.call(end, FirstTransport.GROUP, step).orElseThrow().millis());
  }

  private static String stats(List<NegotiationSample> samples,
      ToDoubleFunction<NegotiationSample> figure) {
    return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", percentile(samples, figure, 0.5),
        percentile(samples, figure, 0.0), percentile(samples, figure, 1.0));
  }

  /** Nearest rank; {@code p} 0 is the minimum, 1 the maximum. */
  static double percentile(List<NegotiationSample> samples,
      ToDoubleFunction<NegotiationSample> figure, double p) {
    double[] values = samples.stream().mapToDouble(figure).sorted().toArray();
    int rank = (int) Math.ceil(p * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }
}
