package dev.meshd.router;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One model's candidates laid out by column, for decisions that read every target: the figures
 * the hard filters and the scoring terms look at in primitive arrays, the strings they compare
 * (node, host, zone, region) as small integer symbols, and each target's place in key order. A
 * decision then walks arrays instead of chasing each candidate's objects; at 1,000 targets that
 * is most of what a decision costs.
 *
 * <p>Built from {@link Candidate}s when the fleet, the signals or the placements change, and read
 * by many decisions after that, so two figures are kept live rather than copied:
 *
 * <ul>
 *   <li>a signal's age is kept as the monotonic time its figures were taken ({@link
 *       #signalTakenNanos}), so that age, and staleness, grow with the reader's clock even when
 *       nothing rebuilds the columns (a node that stops sending must still become stale);
 *   <li>the requests this router sent to a target since its signal ({@link #routedSinceSignal})
 *       are counted in place by {@link #addRouted}, so consecutive decisions spread before the
 *       next signal arrives.
 * </ul>
 *
 * <p>{@link #candidate} turns a column back into a {@link Candidate} aged to a given time, equal
 * field for field to what {@link dev.meshd.router.route} would have built at that time; the
 * scores of both forms agree to the last bit (see the strategies' columnar paths).
 *
 * <p>A caller that keeps load figures as primitives (the simulator) builds the columns once from
 * candidates and then derives columns with new figures by {@link #withFigures}, which shares
 * everything but the figures.
 *
 * <p>Thread-safe: immutable apart from the routed counters, which are atomic.
 */
public final class CandidateColumns {

  /** {@link #blocked} for an eligible-so-far target. */
  public static final byte OPEN = 0;
  /** {@link #blocked}: the node is not ALIVE. */
  public static final byte NOT_ALIVE = 1;
  /** {@link #blocked}: the node or the placement is cordoned. */
  public static final byte DRAINING = 2;
  /** {@link #blocked}: the runtime is unhealthy. */
  public static final byte UNHEALTHY = 3;

  private final Candidate[] candidates;
  private final long builtAtNanos;
  private final double[] queueDepth;
  private final double[] runningRequests;
  private final double[] kvUsage;
  private final boolean[] kvKnown;
  /** Tokens/s per running request; NaN when not measured. */
  private final double[] decodeRate;
  private final double[] vramFreeRatio;
  private final double[] gpuUtilization;
  private final long[] signalTakenNanos;
  private final byte[] blocked;
  private final int[] keyRank;
  private final LinkSummary[] links;
  private final int[] nodeSymbol;
  private final int[] hostSymbol;
  private final int[] zoneSymbol;
  private final int[] regionSymbol;
  private final Map<String, Integer> symbols;
  private final Map<String, int[]> indexByKey;
  private final AtomicIntegerArray routed;
  /** Per-column figures derived for a recurring key (a strategy's static score terms). */
  private final java.util.concurrent.ConcurrentHashMap<Object, double[]> derived =
      new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Per-column figures that depend on the targets' identities alone (locality to an origin),
   * shared with every {@link #withFigures} copy, whose identities are these.
   */
  private final java.util.concurrent.ConcurrentHashMap<Object, double[]> layoutDerived;

  private CandidateColumns(List<Candidate> list, long builtAtNanos, int[] keyRank) {
    int n = list.size();
    this.candidates = list.toArray(Candidate[]::new);
    this.builtAtNanos = builtAtNanos;
    this.keyRank = keyRank;
    queueDepth = new double[n];
    runningRequests = new double[n];
    kvUsage = new double[n];
    kvKnown = new boolean[n];
    decodeRate = new double[n];
    vramFreeRatio = new double[n];
    gpuUtilization = new double[n];
    signalTakenNanos = new long[n];
    blocked = new byte[n];
    links = new LinkSummary[n];
    nodeSymbol = new int[n];
    hostSymbol = new int[n];
    zoneSymbol = new int[n];
    regionSymbol = new int[n];
    symbols = new HashMap<>();
    indexByKey = HashMap.newHashMap(n);
    routed = new AtomicIntegerArray(n);
    layoutDerived = new java.util.concurrent.ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      Candidate c = candidates[i];
      queueDepth[i] = c.queueDepth();
      runningRequests[i] = c.runningRequests();
      kvKnown[i] = c.kvCacheUsage().isPresent();
      kvUsage[i] = kvKnown[i] ? c.kvCacheUsage().getAsDouble() : 0;
      decodeRate[i] = c.decodeTokensPerSecond().orElse(Double.NaN);
      vramFreeRatio[i] = c.vramFreeRatio();
      gpuUtilization[i] = c.gpuUtilization();
      signalTakenNanos[i] = builtAtNanos - saturatedNanos(c.signalAge());
      blocked[i] = !c.alive() ? NOT_ALIVE : c.draining() ? DRAINING
          : !c.runtimeHealthy() ? UNHEALTHY : OPEN;
      links[i] = c.slowestLink().orElse(null);
      nodeSymbol[i] = intern(c.nodeId());
      hostSymbol[i] = intern(c.hostId());
      zoneSymbol[i] = intern(c.zone());
      regionSymbol[i] = intern(c.region());
      indexByKey.merge(c.key(), new int[] {i}, CandidateColumns::concat);
      routed.set(i, c.routedSinceSignal());
    }
  }

  /**
   * The columns of {@code candidates}, whose signal ages are as of {@code builtAtNanos} on the
   * reader's monotonic clock. Key ranks follow {@link Candidate#key()}'s string order, position
   * breaking ties: the order the strategies' rankings break equal scores by.
   */
  public static CandidateColumns of(List<Candidate> candidates, long builtAtNanos) {
    int n = candidates.size();
    String[] keys = new String[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      keys[i] = candidates.get(i).key();
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = keys[a].compareTo(keys[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] rank = new int[n];
    for (int r = 0; r < n; r++) {
      rank[order[r]] = r;
    }
    return new CandidateColumns(candidates, builtAtNanos, rank);
  }

  /**
   * Load figures for every target of some columns, kept as primitives by a caller that owns them
   * (the simulator, which changes them thousands of times per simulated second and cannot build
   * a thousand {@link Candidate}s for each change). Filled by {@link #set}, read by {@link
   * #withFigures}, which copies them. Not thread-safe: one owner.
   */
  public static final class Figures {
    private final double[] queueDepth;
    private final double[] runningRequests;
    private final double[] kvUsage;
    private final boolean[] kvKnown;
    private final double[] decodeRate;
    private final double[] vramFreeRatio;
    private final double[] gpuUtilization;
    private final long[] signalTakenNanos;
    private final int[] routed;

    /** Figures for {@code size} targets, all zero, KV unknown, signals taken at time 0. */
    public Figures(int size) {
      queueDepth = new double[size];
      runningRequests = new double[size];
      kvUsage = new double[size];
      kvKnown = new boolean[size];
      decodeRate = new double[size];
      Arrays.fill(decodeRate, Double.NaN);
      vramFreeRatio = new double[size];
      gpuUtilization = new double[size];
      signalTakenNanos = new long[size];
      routed = new int[size];
    }

    public int size() {
      return queueDepth.length;
    }

    /**
     * Target {@code i}'s figures, as {@link Candidate}'s fields of the same names.
     *
     * @param kvCacheUsage 0..1, or NaN when the runtime does not report it
     * @param decodeTokensPerSecond tokens/s per running request, or NaN when not measured
     * @param signalTakenNanos when the figures were taken, on the reader's monotonic clock
     * @param routedSinceSignal requests sent to the target since then
     */
    public Figures set(int i, double queueDepth, double runningRequests, double kvCacheUsage,
        double decodeTokensPerSecond, double vramFreeRatio, double gpuUtilization,
        long signalTakenNanos,
        int routedSinceSignal) {
      this.queueDepth[i] = queueDepth;
      this.runningRequests[i] = runningRequests;
      this.kvKnown[i] = !Double.isNaN(kvCacheUsage);
      this.kvUsage[i] = this.kvKnown[i] ? kvCacheUsage : 0;
      this.decodeRate[i] = decodeTokensPerSecond;
      this.vramFreeRatio[i] = vramFreeRatio;
      this.gpuUtilization[i] = gpuUtilization;
      this.signalTakenNanos[i] = signalTakenNanos;
      this.routed[i] = routedSinceSignal;
      return this;
    }
  }

  private CandidateColumns(CandidateColumns layout, Figures f, long builtAtNanos) {
    int n = layout.size();
    if (f.size() != n) {
      throw new IllegalArgumentException("figures: " + f.size() + " targets (expected: " + n
          + ")");
    }
    candidates = layout.candidates;
    this.builtAtNanos = builtAtNanos;
    keyRank = layout.keyRank;
    queueDepth = f.queueDepth.clone();
    runningRequests = f.runningRequests.clone();
    kvUsage = f.kvUsage.clone();
    kvKnown = f.kvKnown.clone();
    decodeRate = f.decodeRate.clone();
    vramFreeRatio = f.vramFreeRatio.clone();
    gpuUtilization = f.gpuUtilization.clone();
    signalTakenNanos = f.signalTakenNanos.clone();
    blocked = layout.blocked;
    links = layout.links;
    nodeSymbol = layout.nodeSymbol;
    hostSymbol = layout.hostSymbol;
    zoneSymbol = layout.zoneSymbol;
    regionSymbol = layout.regionSymbol;
    symbols = layout.symbols;
    indexByKey = layout.indexByKey;
    routed = new AtomicIntegerArray(f.routed);
    layoutDerived = layout.layoutDerived;
  }

  /**
   * These targets (identities, states, keys, locality and links, shared, not copied) with other
   * load figures, as of {@code builtAtNanos}: what {@link #of} would give for the same candidates
   * with those figures, without building them. The columns' states (alive, draining, healthy)
   * stay as they were built; only figures change.
   */
  public CandidateColumns withFigures(Figures figures, long builtAtNanos) {
    return new CandidateColumns(this, figures, builtAtNanos);
  }

  private int intern(String value) {
    return symbols.computeIfAbsent(value, v -> symbols.size());
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  public int size() {
    return candidates.length;
  }

  /** When the columns were built, on the reader's monotonic clock. */
  public long builtAtNanos() {
    return builtAtNanos;
  }

  public double queueDepth(int i) {
    return queueDepth[i];
  }

  public double runningRequests(int i) {
    return runningRequests[i];
  }

  /** The KV-cache use, meaningful only where {@link #kvKnown} is true. */
  public double kvUsage(int i) {
    return kvUsage[i];
  }

  public boolean kvKnown(int i) {
    return kvKnown[i];
  }

  /** Tokens/s per running request as measured at the runtime; NaN when not measured. */
  public double decodeRate(int i) {
    return decodeRate[i];
  }

  public double vramFreeRatio(int i) {
    return vramFreeRatio[i];
  }

  public double gpuUtilization(int i) {
    return gpuUtilization[i];
  }

  /** When target {@code i}'s load figures were taken, on the reader's monotonic clock. */
  public long signalTakenNanos(int i) {
    return signalTakenNanos[i];
  }

  /** {@link #OPEN}, or the first of the filters that need no request-time figure it fails. */
  public byte blocked(int i) {
    return blocked[i];
  }

  /** Target {@code i}'s place in key order, unique: the strategies' last tie-break. */
  public int keyRank(int i) {
    return keyRank[i];
  }

  /** The pipeline's slowest link; null for a replica. */
  public LinkSummary link(int i) {
    return links[i];
  }

  public int nodeSymbol(int i) {
    return nodeSymbol[i];
  }

  public int hostSymbol(int i) {
    return hostSymbol[i];
  }

  public int zoneSymbol(int i) {
    return zoneSymbol[i];
  }

  public int regionSymbol(int i) {
    return regionSymbol[i];
  }

  /** The symbol of a node, host, zone or region name; -1 when no candidate has it. */
  public int symbol(String value) {
    Integer s = symbols.get(value);
    return s == null ? -1 : s;
  }

  /** Distinct keys {@link #derived} remembers: enough for every origin a router sees. */
  static final int MAX_DERIVED = 16;

  /**
   * A figure per column that depends only on these columns and {@code key} (for example each
   * target's static score terms for one policy's weights and one origin), computed once and shared by later decisions on the same
   * columns; past {@link #MAX_DERIVED} keys it is computed afresh each time. The array must not
   * be modified.
   */
  public double[] derived(Object key, java.util.function.Supplier<double[]> compute) {
    return memo(derived, key, compute);
  }

  /**
   * {@link #derived} for a figure that depends only on the targets' identities (node, host,
   * zone, region, key) and {@code key}, not on their load figures: shared by these columns and
   * every copy {@link #withFigures} makes of them, so a simulator that derives new columns
   * thousands of times per second computes it once. Bounded by {@link #MAX_DERIVED} the same way.
   */
  public double[] layoutDerived(Object key, java.util.function.Supplier<double[]> compute) {
    return memo(layoutDerived, key, compute);
  }

  private static double[] memo(java.util.Map<Object, double[]> memo, Object key,
      java.util.function.Supplier<double[]> compute) {
    double[] known = memo.get(key);
    if (known != null) {
      return known;
    }
    double[] computed = compute.get();
    if (memo.size() < MAX_DERIVED) {
      memo.putIfAbsent(key, computed);
    }
    return computed;
  }

  /** Requests this router sent to target {@code i} since its signal was taken. */
  public int routedSinceSignal(int i) {
    return routed.get(i);
  }

  /**
   * Counts one request sent to the target with {@code key} (to each, should two candidates share
   * a key, as the dispatch ledger counts by key); false when no target has it.
   */
  public boolean addRouted(String key) {
    int[] positions = indexByKey.get(key);
    if (positions == null) {
      return false;
    }
    for (int i : positions) {
      routed.incrementAndGet(i);
    }
    return true;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Target {@code i} as a {@link Candidate}, aged to {@code nowNanos}, with {@code routed}. */
  public Candidate candidate(int i, long nowNanos, int routedSinceSignal) {
    Candidate c = candidates[i];
    // The figures come from the columns, not the candidate: columns made by withFigures carry
    // figures their candidates never had. For columns made by of() the two are the same values.
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), queueDepth[i],
        runningRequests[i], kvKnown[i] ? OptionalDouble.of(kvUsage[i]) : OptionalDouble.empty(),
        Double.isNaN(decodeRate[i]) ? OptionalDouble.empty() : OptionalDouble.of(decodeRate[i]),
        vramFreeRatio[i], gpuUtilization[i], Duration.ofNanos(ageNanos(i, nowNanos)),
        routedSinceSignal, c.slowestLink());
  }

  /** Target {@code i}'s signal age at {@code nowNanos}; never negative. */
  public long ageNanos(int i, long nowNanos) {
    return Math.max(0, nowNanos - signalTakenNanos[i]);
  }
}
