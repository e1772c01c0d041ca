package dev.meshd.router.strategy;

import dev.meshd.router.Candidate;
import dev.meshd.router.LinkSummary;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.StalePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The weighted terms of the {@code heuristic}, {@code fabric_aware} and {@code hybrid}
 * strategies. Every term is in 0..1 (1 is best); a target's score is the weighted mean of its
 * terms, so weights are relative and a policy may name any subset of them.
 */
final class WeightedTerms {

  // Defaults, relative to each other. Queue depth dominates: a waiting request costs a whole
  // queue slot of latency, while KV-cache and memory headroom only predict future waits.
  static final double QUEUE_DEPTH = 0.45;
  static final double KV_HEADROOM = 0.20;
  static final double VRAM_HEADROOM = 0.10;
  static final double GPU_UTILIZATION = 0.10;
  // Only when stale targets are penalized rather than dropped.
  static final double FRESHNESS = 0.15;
  static final double LOCALITY = 0.10;
  static final double FABRIC = 0.10;

  /** KV-cache use assumed for a runtime that does not report it (TGI): neither full nor empty. */
  private static final double UNKNOWN_KV_USAGE = 0.5;

  /** Nominal bandwidths, bytes/s, for links whose probe has not measured one yet. */
  private static final Map<String, Double> NOMINAL_BANDWIDTH = Map.of(
      "NVLINK", 900e9, "XGMI", 448e9, "RDMA_IB", 50e9, "RDMA_ROCE", 25e9, "EFA", 25e9,
      "CXI", 25e9, "LIBFABRIC_TCP", 3e9, "QUIC", 1.25e9);
  private static final double SLOW_LINK = 100e6;
  private static final double FAST_LINK = 900e9;

  private WeightedTerms() {}

  /** Load terms, with {@code queue} the queue figure this strategy believes. */
  static List<ScoreTerm> load(ScoringContext context, Candidate c, double queue) {
    List<ScoreTerm> terms = new ArrayList<>(7);
    terms.add(new ScoreTerm("queue_depth", Ranking.queueTerm(queue),
        context.weight("queue_depth", QUEUE_DEPTH)));
    terms.add(new ScoreTerm("kv_headroom", 1.0 - c.kvCacheUsage().orElse(UNKNOWN_KV_USAGE),
        context.weight("kv_headroom", KV_HEADROOM)));
    terms.add(new ScoreTerm("vram_headroom", clamp(c.vramFreeRatio()),
        context.weight("vram_headroom", VRAM_HEADROOM)));
    terms.add(new ScoreTerm("gpu_utilization", 1.0 - clamp(c.gpuUtilization()),
        context.weight("gpu_utilization", GPU_UTILIZATION)));
    if (context.stalePolicy() == StalePolicy.PENALIZE) {
      terms.add(new ScoreTerm("freshness", context.isStale(c) ? 0.0 : 1.0,
          context.weight("freshness", FRESHNESS)));
    }
    return terms;
  }

  /** Locality to the request's origin, and the pipeline's slowest link. */
  static List<ScoreTerm> placement(ScoringContext context, Candidate c) {
    List<ScoreTerm> terms = new ArrayList<>(2);
    context.request().origin().ifPresent(origin -> terms.add(new ScoreTerm("locality",
        locality(origin, c), context.weight("locality", LOCALITY))));
    terms.add(new ScoreTerm("fabric", c.slowestLink().map(WeightedTerms::fabric).orElse(1.0),
        context.weight("fabric", FABRIC)));
    return terms;
  }

  static ScoredTarget total(Candidate c, List<ScoreTerm> terms) {
    double weights = 0;
    double sum = 0;
    for (ScoreTerm t : terms) {
      weights += t.weight();
      sum += t.contribution();
    }
    return new ScoredTarget(c, weights == 0 ? 0 : sum / weights, terms);
  }

  static double locality(RouteRequest.Origin origin, Candidate c) {
    if (origin.nodeId().equals(c.nodeId())) {
      return 1.0;
    }
    if (!origin.hostId().isEmpty() && origin.hostId().equals(c.hostId())) {
      return 0.9;
    }
    if (!origin.zone().isEmpty() && origin.zone().equals(c.zone())) {
      return 0.6;
    }
    if (!origin.region().isEmpty() && origin.region().equals(c.region())) {
      return 0.3;
    }
    return 0.0;
  }

  /** 0 at 100 MB/s or less, 1 at NVLink's 900 GB/s, logarithmic between. */
  static double fabric(LinkSummary link) {
    double bandwidth = link.bandwidthBytesPerSecond() > 0 ? link.bandwidthBytesPerSecond()
        : NOMINAL_BANDWIDTH.getOrDefault(link.fabricClass(), SLOW_LINK);
    return clamp(Math.log(bandwidth / SLOW_LINK) / Math.log(FAST_LINK / SLOW_LINK));
  }

  private static double clamp(double v) {
    return Math.clamp(v, 0.0, 1.0);
  }
}
