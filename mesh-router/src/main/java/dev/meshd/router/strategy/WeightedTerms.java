package dev.meshd.router.strategy;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.LinkSummary;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.StalePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The weighted terms of the {@code heuristic}, {@code fabric_aware} and {@code hybrid}
 * strategies, with the weights of one decision resolved once. Every term is in 0..1 (1 is best);
 * a target's score is the weighted mean of its terms, so weights are relative and a policy may
 * name any subset of them.
 *
 * <p>A score comes two ways that must agree to the last bit, because the fast path selects on one
 * and explains with the other: {@link #score} sums the contributions in a primitive pass, and
 * {@link #scored} builds the terms and sums them in {@link #total}. Both add the same products in
 * the same order: first the <em>static</em> terms, which depend only on a target's reported
 * figures, the policy's weights and the request's origin (KV and VRAM headroom, GPU utilization,
 * locality, fabric), then the <em>dynamic</em> ones, which change between two decisions on the
 * same columns (queue depth, which this router's own sends raise, and freshness, which the clock
 * ages). On columns the static sum is computed once per columns, weights and origin and kept
 * ({@link CandidateColumns#derived}), so a decision adds two products per target. Immutable.
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

  /**
   * How much of a waiting request each running one counts for in {@code hybrid}'s expected
   * queue. With continuous batching the waiting queue is empty most of the time while batches
   * fill unevenly, and every running request slows the others (they share the GPU's token rate),
   * so a queue-only estimate spreads requests by count, as if a slow GPU were a fast one.
   * Measured in the simulator (docs/simulation.md, "Tuning hybrid"): on the heterogeneous fleet
   * at 80% of capacity, going from 0 to 0.2 halves hybrid's p95 and p99; 0.1 to 0.3 lie within a
   * few percent of each other and 0.5 is worse. 0.15 with the cube root of the speed below
   * (re-tuned once the rate was measured from inter-token latency) lowers p95 and p99 by 0-3%
   * against 0.2 with the fourth root on every seed tried, held-out seeds included.
   */
  static final double RUNNING_SHARE = 0.15;

  /*
   * hybrid's speed. A target whose runtime measures its decode rate (tokens/s per running
   * request, Candidate#decodeTokensPerSecond) has its queue term scaled by (rate / fastest)^1/3,
   * fastest being the highest measured rate among the eligible targets: an L40S decoding at a
   * third of an H100's rate ranks as if its expected queue were 1.4x as long. The measured rate
   * falls as a batch grows, which the expected queue already counts, so the full ratio counts
   * load twice: measured in the simulator (docs/benchmarks.md, "Tuning hybrid"), exponents 1 and
   * 1/2 trade a worse TTFT for the p99, 1/4 lowered p95 and p99 on every seed for a small TTFT
   * cost, 1/8 does less; with the rate from inter-token latency, 1/3 with a running share of
   * 0.15 does slightly better than 1/4 with 0.2. Unmeasured targets (TGI, SGLang without its decode figures, or before
   * a runtime's first window) count as fast as the fastest. A pipeline's link factor applies on
   * top (queueTerm).
   */

  /** KV-cache use assumed for a runtime that does not report it (TGI): neither full nor empty. */
  private static final double UNKNOWN_KV_USAGE = 0.5;

  /**
   * The compute time of one decode step that a pipeline's link time is set against, seconds: a
   * 70B-class model on H100s decodes at 35-45 tokens/s per request (docs/simulation.md), and
   * pipelines serve the models too large for one GPU. The router does not know a target's own
   * step time (no signal carries it), so this stands in for it.
   */
  static final double STEP_SECONDS = 0.020;

  /**
   * Bytes each token of a step sends over a stage link: a 70B-class model's hidden state and
   * residual (8,192 x BF16 each), what vLLM ships between pipeline stages. Stands in for the
   * model's own figure, which the router does not know.
   */
  static final double ACTIVATION_BYTES_PER_TOKEN = 32_768;

  /** Bandwidth assumed for a link of an unknown class whose probe measured none. */
  private static final double SLOW_LINK = 100e6;

  private final double queueDepth;
  private final double kvHeadroom;
  private final double vramHeadroom;
  private final double gpuUtilization;
  private final boolean penalizeStale;
  private final double freshness;
  private final Duration staleBound;
  private final boolean placement;
  /** Score the queue this router expects ({@link Candidate#effectiveQueue()}), not the report. */
  private final boolean effectiveQueue;
  /** The request's origin when placement terms apply and it is known; null otherwise. */
  private final RouteRequest.Origin origin;
  private final double locality;
  private final double fabric;
  /** The sum of the weights, static terms first, as {@link #total} adds them. */
  private final double weightSum;
  private final StaticKey staticKey;

  private WeightedTerms(ScoringContext context, boolean placement, boolean effectiveQueue) {
    queueDepth = context.weight("queue_depth", QUEUE_DEPTH);
    kvHeadroom = context.weight("kv_headroom", KV_HEADROOM);
    vramHeadroom = context.weight("vram_headroom", VRAM_HEADROOM);
    gpuUtilization = context.weight("gpu_utilization", GPU_UTILIZATION);
    penalizeStale = context.stalePolicy() == StalePolicy.PENALIZE;
    freshness = context.weight("freshness", FRESHNESS);
    staleBound = context.staleBound();
    this.placement = placement;
    this.effectiveQueue = effectiveQueue;
    origin = placement ? context.request().origin().orElse(null) : null;
    locality = context.weight("locality", LOCALITY);
    fabric = context.weight("fabric", FABRIC);
    double sum = 0;
    sum += kvHeadroom;
    sum += vramHeadroom;
    sum += gpuUtilization;
    if (origin != null) {
      sum += locality;
    }
    if (placement) {
      sum += fabric;
    }
    sum += queueDepth;
    if (penalizeStale) {
      sum += freshness;
    }
    weightSum = sum;
    staticKey = new StaticKey(origin, placement, kvHeadroom, vramHeadroom, gpuUtilization,
        locality, fabric);
  }

  /**
   * What a target's static sum depends on besides its own figures: the memo key of {@link
   * #staticSums} on one columns.
   */
  private record StaticKey(RouteRequest.Origin origin, boolean placement, double kvHeadroom,
      double vramHeadroom, double gpuUtilization, double locality, double fabric) {}

  /** The load terms on the reported queue ({@code heuristic}). */
  static WeightedTerms load(ScoringContext context) {
    return new WeightedTerms(context, false, false);
  }

  /**
   * The load terms, locality to the origin and the pipeline's slowest link; on the reported queue
   * ({@code fabric_aware}) or on the queue this router expects ({@code hybrid}).
   */
  static WeightedTerms loadAndPlacement(ScoringContext context, boolean effectiveQueue) {
    return new WeightedTerms(context, true, effectiveQueue);
  }

  /** Every target scored with its terms, in the order given. */
  List<ScoredTarget> scoredAll(List<Candidate> eligible) {
    List<ScoredTarget> scored = new ArrayList<>(eligible.size());
    double fastest = fastest(eligible);
    for (Candidate c : eligible) {
      scored.add(scored(c, fastest));
    }
    return scored;
  }

  /** The fast path: scores into an array, selects the best k, builds terms for those only. */
  List<ScoredTarget> best(List<Candidate> eligible, int k) {
    double fastest = fastest(eligible);
    double[] scores = scores(eligible, fastest);
    return scored(eligible, Selection.topByScore(scores, eligible.size(),
        Math.min(k, eligible.size()), Selection.bestFirst(scores, eligible)), fastest);
  }

  /** The fast path over columns: {@link #best(List, int)} for {@code eligible.asList()}. */
  List<ScoredTarget> best(EligibleTargets eligible, int k) {
    double fastest = fastest(eligible);
    double[] scores = scores(eligible, fastest);
    return scored(eligible, Selection.topByScore(scores, eligible.size(),
        Math.min(k, eligible.size()), Selection.bestFirst(scores, eligible)), fastest);
  }

  /**
   * The speed reference of one decision: the largest {@link #speedRoot} among the eligible
   * targets in {@code hybrid} (NaN when none is measured, and always for the other strategies).
   * Computed once per decision and passed to both its scores and the terms of the targets it
   * returns.
   */
  double fastest(EligibleTargets eligible) {
    return effectiveQueue ? fastest(eligible, speedRoots(eligible.columns())) : Double.NaN;
  }

  /** {@link #fastest(EligibleTargets)} over candidates. */
  double fastest(List<Candidate> eligible) {
    return effectiveQueue ? fastestOf(eligible) : Double.NaN;
  }

  /**
   * {@link #score} of every eligible target, by position, read from the columns: the same
   * products added in the same order as {@link #score}, so equal to the last bit.
   *
   * @param fastest this decision's {@link #fastest(EligibleTargets)}
   */
  double[] scores(EligibleTargets eligible, double fastest) {
    CandidateColumns columns = eligible.columns();
    int n = eligible.size();
    double[] scores = new double[n];
    long staleNanos = staleBound.toNanos();
    // The static sums depend only on the columns, the weights and the origin: computed once and
    // reused by every later decision on these columns (a router's requests mostly share its
    // origin and policy), which leaves two products per target here.
    double[] statics = columns.derived(staticKey, () -> staticSums(columns));
    // The pipelines' link factors (1 for a replica), likewise per columns; null without links,
    // or when the policy weighs links at 0 (then links are ignored altogether).
    double[] links = placement && fabric > 0
        ? columns.derived(LINK_FACTORS, () -> linkFactors(columns)) : NONE;
    if (links.length == 0) {
      links = null;
    }
    // hybrid's speed: each target's speed root (NaN unmeasured), against the fastest.
    double[] roots = Double.isNaN(fastest) ? NONE : speedRoots(columns);
    for (int j = 0; j < n; j++) {
      int i = eligible.column(j);
      double queue = effectiveQueue
          ? eligible.effectiveQueue(j) + RUNNING_SHARE * columns.runningRequests(i)
          : columns.queueDepth(i);
      double sum = statics[i];
      double root = Double.isNaN(fastest) ? Double.NaN : roots[i];
      double link = links == null ? 1.0 : links[i];
      double slowdown = !Double.isNaN(root) ? root / fastest * link : link;
      sum += (slowdown == 1.0 ? Ranking.queueTerm(queue) : Ranking.queueTerm(queue) * slowdown)
          * queueDepth;
      if (penalizeStale) {
        sum += (eligible.ageNanos(j) > staleNanos ? 0.0 : 1.0) * freshness;
      }
      scores[j] = weightSum == 0 ? 0 : sum / weightSum;
    }
    return scores;
  }

  /** The memo key of {@link #speedRoots}: they depend on the columns alone. */
  private static final Object SPEED_ROOTS = new Object() {
    @Override
    public String toString() {
      return "speed roots";
    }
  };

  /**
   * {@link #speedRoot} of every column (NaN where unmeasured), or {@link #NONE} when no target
   * of the columns has a measured rate, so that the speed costs such fleets nothing.
   */
  private static double[] speedRoots(CandidateColumns columns) {
    return columns.derived(SPEED_ROOTS, () -> sparse(columns, Double.NaN, i -> {
      double rate = columns.decodeRate(i);
      return Double.isNaN(rate) ? Double.NaN : speedRoot(rate);
    }));
  }

  /** {@link #sparse}'s answer when no column has a value (a memo may not hold null). */
  private static final double[] NONE = new double[0];

  /**
   * {@code value} of every column, {@code absent} where it is NaN; or {@link #NONE} when it is
   * NaN for every column, so that a figure no target has costs the decision nothing.
   */
  private static double[] sparse(CandidateColumns columns, double absent,
      IntToDoubleFunction value) {
    double[] values = NONE;
    for (int i = 0; i < columns.size(); i++) {
      double v = value.applyAsDouble(i);
      if (!Double.isNaN(v)) {
        if (values == NONE) {
          values = new double[columns.size()];
          Arrays.fill(values, absent);
        }
        values[i] = v;
      }
    }
    return values;
  }

  /** The largest speed root among the eligible targets, NaN when none is measured. */
  private static double fastest(EligibleTargets eligible, double[] roots) {
    double fastest = Double.NaN;
    if (roots.length == 0) {
      return fastest;
    }
    for (int j = 0; j < eligible.size(); j++) {
      fastest = max(fastest, roots[eligible.column(j)]);
    }
    return fastest;
  }

  /** {@link #fastest(EligibleTargets, double[])} over candidates. */
  private static double fastestOf(List<Candidate> eligible) {
    double fastest = Double.NaN;
    for (Candidate c : eligible) {
      if (c.decodeTokensPerSecond().isPresent()) {
        fastest = max(fastest, speedRoot(c.decodeTokensPerSecond().getAsDouble()));
      }
    }
    return fastest;
  }

  /** The larger of two values, either of which may be NaN (unmeasured); NaN only when both are. */
  private static double max(double a, double b) {
    return Double.isNaN(a) || b > a ? b : a;
  }

  /**
   * A target's speed as {@code hybrid} weighs it: the cube root of its measured decode rate,
   * computed the same way on both paths so that they agree to the bit.
   */
  static double speedRoot(double decodeTokensPerSecond) {
    return Math.cbrt(decodeTokensPerSecond);
  }

  /** {@link #staticSum(Candidate)} of every column, read from the columns. */
  private double[] staticSums(CandidateColumns columns) {
    double[] localities = origin == null ? null
        : columns.layoutDerived(origin, () -> localities(columns, origin));
    // The pipelines' link factors, shared with the queue term (NONE: no pipeline here).
    double[] links = placement
        ? columns.derived(LINK_FACTORS, () -> linkFactors(columns)) : NONE;
    double[] sums = new double[columns.size()];
    for (int i = 0; i < sums.length; i++) {
      double sum = 0;
      sum += (1.0 - (columns.kvKnown(i) ? columns.kvUsage(i) : UNKNOWN_KV_USAGE)) * kvHeadroom;
      sum += clamp(columns.vramFreeRatio(i)) * vramHeadroom;
      sum += (1.0 - clamp(columns.gpuUtilization(i))) * gpuUtilization;
      if (origin != null) {
        sum += localities[i] * locality;
      }
      if (placement) {
        sum += (links.length == 0 ? 1.0 : links[i]) * fabric;
      }
      sums[i] = sum;
    }
    return sums;
  }

  /** The memo key of {@link #linkFactors}: they depend on the columns alone. */
  private static final Object LINK_FACTORS = new Object() {
    @Override
    public String toString() {
      return "link factors";
    }
  };

  /**
   * {@link #fabric(LinkSummary, double)} of every column (1 for a replica), or {@link #NONE}
   * when no target of the columns is a pipeline, so that replicas' queue terms cost nothing more.
   */
  private static double[] linkFactors(CandidateColumns columns) {
    return sparse(columns, 1.0, i -> columns.link(i) == null ? Double.NaN
        : fabric(columns.link(i), columns.runningRequests(i)));
  }

  /** {@link #locality(RouteRequest.Origin, Candidate)} of every column, on symbols. */
  private static double[] localities(CandidateColumns columns, RouteRequest.Origin origin) {
    // -1 (a name no target has) matches nothing; -2 (an empty origin field) is never asked.
    int node = columns.symbol(origin.nodeId());
    int host = origin.hostId().isEmpty() ? -2 : columns.symbol(origin.hostId());
    int zone = origin.zone().isEmpty() ? -2 : columns.symbol(origin.zone());
    int region = origin.region().isEmpty() ? -2 : columns.symbol(origin.region());
    double[] localities = new double[columns.size()];
    for (int i = 0; i < localities.length; i++) {
      localities[i] = locality(columns, i, node, host, zone, region);
    }
    return localities;
  }

  /** {@link #locality(RouteRequest.Origin, Candidate)} on symbols. */
  private static double locality(CandidateColumns columns, int i, int node, int host, int zone,
      int region) {
    if (columns.nodeSymbol(i) == node) {
      return 1.0;
    }
    if (columns.hostSymbol(i) == host) {
      return 0.9;
    }
    if (columns.zoneSymbol(i) == zone) {
      return 0.6;
    }
    if (columns.regionSymbol(i) == region) {
      return 0.3;
    }
    return 0.0;
  }

  /** The eligible targets at {@code positions}, in that order, with their terms. */
  List<ScoredTarget> scored(EligibleTargets eligible, int[] positions, double fastest) {
    ScoredTarget[] scored = new ScoredTarget[positions.length];
    for (int p = 0; p < positions.length; p++) {
      scored[p] = scored(eligible.candidate(positions[p]), fastest);
    }
    return List.of(scored);
  }

  /** {@link #score} of every target, by position. */
  double[] scores(List<Candidate> eligible, double fastest) {
    double[] scores = new double[eligible.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = score(eligible.get(i), fastest);
    }
    return scores;
  }

  /** The targets at {@code indices}, in that order, with their terms. */
  List<ScoredTarget> scored(List<Candidate> eligible, int[] indices, double fastest) {
    ScoredTarget[] scored = new ScoredTarget[indices.length];
    for (int i = 0; i < indices.length; i++) {
      scored[i] = scored(eligible.get(indices[i]), fastest);
    }
    return List.of(scored);
  }

  /** The score of {@link #scored}, without building its terms. */
  private double score(Candidate c, double fastest) {
    double queue = effectiveQueue ? expectedQueue(c) : c.queueDepth();
    double sum = staticSum(c);
    sum += queueTerm(queue, c, fastest) * queueDepth;
    if (penalizeStale) {
      sum += (isStale(c) ? 0.0 : 1.0) * freshness;
    }
    return weightSum == 0 ? 0 : sum / weightSum;
  }

  /** The contributions of the static terms, added in term order. */
  private double staticSum(Candidate c) {
    double sum = 0;
    sum += (1.0 - c.kvCacheUsage().orElse(UNKNOWN_KV_USAGE)) * kvHeadroom;
    sum += clamp(c.vramFreeRatio()) * vramHeadroom;
    sum += (1.0 - clamp(c.gpuUtilization())) * gpuUtilization;
    if (origin != null) {
      sum += locality(origin, c) * locality;
    }
    if (placement) {
      sum += fabricTerm(c) * fabric;
    }
    return sum;
  }

  /** The target with its score and every term of it. */
  private ScoredTarget scored(Candidate c, double fastest) {
    double queue = effectiveQueue ? expectedQueue(c) : c.queueDepth();
    List<ScoreTerm> terms = new ArrayList<>(7);
    terms.add(new ScoreTerm("queue_depth", queueTerm(queue, c, fastest), queueDepth));
    terms.add(new ScoreTerm("kv_headroom", 1.0 - c.kvCacheUsage().orElse(UNKNOWN_KV_USAGE),
        kvHeadroom));
    terms.add(new ScoreTerm("vram_headroom", clamp(c.vramFreeRatio()), vramHeadroom));
    terms.add(new ScoreTerm("gpu_utilization", 1.0 - clamp(c.gpuUtilization()),
        gpuUtilization));
    if (penalizeStale) {
      terms.add(new ScoreTerm("freshness", isStale(c) ? 0.0 : 1.0, freshness));
    }
    if (origin != null) {
      terms.add(new ScoreTerm("locality", locality(origin, c), locality));
    }
    if (placement) {
      terms.add(new ScoreTerm("fabric", fabricTerm(c), fabric));
    }
    return total(c, terms);
  }

  /**
   * The target with the weighted mean of its terms: the static terms' contributions first, then
   * the dynamic ones, each group in list order, as {@link #score} adds them.
   */
  private static ScoredTarget total(Candidate c, List<ScoreTerm> terms) {
    double weights = 0;
    double sum = 0;
    for (ScoreTerm t : terms) {
      if (!isDynamic(t)) {
        weights += t.weight();
        sum += t.contribution();
      }
    }
    for (ScoreTerm t : terms) {
      if (isDynamic(t)) {
        weights += t.weight();
        sum += t.contribution();
      }
    }
    return new ScoredTarget(c, weights == 0 ? 0 : sum / weights, terms);
  }

  private static boolean isDynamic(ScoreTerm t) {
    return t.name().equals("queue_depth") || t.name().equals("freshness");
  }

  /**
   * The queue term: 1 / (1 + queue), and with placement terms, for a pipeline, times its link
   * factor: the requests ahead and the request itself each take 1 / factor as long there, so
   * the term is the inverse of the expected time in reference steps, 1 / ((1 + queue) x
   * slowdown). A replica's term is the plain one (no multiplication, so not a bit changed), and
   * so is every target's when the policy weighs {@code fabric} at 0. In {@code hybrid}, a target
   * whose decode rate is measured is also scaled by its speed against the fastest eligible one
   * (see {@link #speedRoot}). A pipeline's measured rate includes some of its links' cost, so
   * the two overlap; measured in the simulator's fabric example, the speed alone (without the
   * link factor) lost 2-4% of {@code hybrid}'s p95 there, and both together keep it where it was
   * with a better p99 (docs/benchmarks.md, "Fabric scenario").
   */
  private double queueTerm(double queue, Candidate c, double fastest) {
    double link = placement && fabric > 0 && c.slowestLink().isPresent()
        ? fabric(c.slowestLink().get(), c.runningRequests()) : 1.0;
    double slowdown = !Double.isNaN(fastest) && c.decodeTokensPerSecond().isPresent()
        ? speedRoot(c.decodeTokensPerSecond().getAsDouble()) / fastest * link : link;
    return slowdown == 1.0 ? Ranking.queueTerm(queue) : Ranking.queueTerm(queue) * slowdown;
  }

  /** {@code hybrid}'s queue: reported, plus this router's sends since, plus running requests. */
  private static double expectedQueue(Candidate c) {
    return c.effectiveQueue() + RUNNING_SHARE * c.runningRequests();
  }

  private boolean isStale(Candidate c) {
    return c.signalAge().compareTo(staleBound) > 0;
  }

  private static double fabricTerm(Candidate c) {
    return c.slowestLink().isPresent() ? fabric(c.slowestLink().get(), c.runningRequests()) : 1.0;
  }

  static double locality(RouteRequest.Origin origin, Candidate c) {
    if (same(origin.nodeId(), c.nodeId())) {
      return 1.0;
    }
    if (!origin.hostId().isEmpty() && same(origin.hostId(), c.hostId())) {
      return 0.9;
    }
    if (!origin.zone().isEmpty() && same(origin.zone(), c.zone())) {
      return 0.6;
    }
    if (!origin.region().isEmpty() && same(origin.region(), c.region())) {
      return 0.3;
    }
    return 0.0;
  }

  /**
   * {@code equals}, deciding most unequal pairs on the hash each string caches: zones and
   * regions are short and of equal length, so {@code equals} alone would read both strings'
   * bytes for nearly every candidate of every decision.
   */
  private static boolean same(String a, String b) {
    return a.hashCode() == b.hashCode() && a.equals(b);
  }

  /**
   * The share of a decode step a pipeline spends computing rather than waiting on its slowest
   * link: {@code STEP / (STEP + rtt + batch x ACTIVATION / bandwidth)}, where batch is the
   * running requests (at least one: the request itself), rtt and bandwidth are the link's
   * measured figures (the class's nominal bandwidth until a probe measured one; no RTT until
   * one is measured). Every decode step crosses the links and brings the sampled token back,
   * which costs the round trip, and ships each running request's activations. 1 for a free
   * link; 0.5 when the link doubles each step (the pipeline serves at half speed).
   */
  static double fabric(LinkSummary link, double runningRequests) {
    double bandwidth = link.bandwidthBytesPerSecond() > 0 ? link.bandwidthBytesPerSecond()
        : nominal(link.fabricClass());
    double wait = link.rttMicros() / 1e6
        + Math.max(1.0, runningRequests) * ACTIVATION_BYTES_PER_TOKEN / bandwidth;
    return STEP_SECONDS / (STEP_SECONDS + wait);
  }

  /**
   * The class's nominal bandwidth (mesh-core's {@link FabricClass}, the one table of them) for a
   * link whose probe has not measured one yet; an unknown class counts as slow.
   */
  private static double nominal(String fabricClass) {
    for (FabricClass c : FabricClass.values()) {
      if (c.name().equals(fabricClass)) {
        return c.nominalBytesPerSecond();
      }
    }
    return SLOW_LINK;
  }

  private static double clamp(double v) {
    return Math.clamp(v, 0.0, 1.0);
  }
}
