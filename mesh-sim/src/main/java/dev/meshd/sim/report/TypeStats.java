package dev.meshd.sim.report;

/**
 * What one run measured for one request type (or, merged, for all): latency histograms and the
 * counts behind throughput, SLA attainment, hedging and rejections. Filled by the simulation's
 * thread; read after the run. Not thread-safe.
 */
public final class TypeStats {

  /** Rejection reasons, in the order reports list them. */
  public static final String[] REJECTIONS = {"no_eligible_target", "admission",
      "tenant_limit", "too_large", "worker_queue_full"};

  public final String type;
  public final LatencyHistogram endToEnd = new LatencyHistogram();
  public final LatencyHistogram firstToken = new LatencyHistogram();
  public final LatencyHistogram queueWait = new LatencyHistogram();
  public long arrived;
  public long completed;
  public final long[] rejected = new long[REJECTIONS.length];
  public long slaMet;
  public long promptTokens;
  public long outputTokens;
  public long hedged;
  public long hedgeWins;
  /** Tokens of work done by attempts that lost to their hedge partner. */
  public double wastedTokens;

  public TypeStats(String type) {
    this.type = type;
  }

  public long rejectedTotal() {
    long total = 0;
    for (long r : rejected) {
      total += r;
    }
    return total;
  }

  /** Completed within the SLA, over every arrival (a rejected request misses it). */
  public double slaAttainment() {
    return arrived == 0 ? 1.0 : (double) slaMet / arrived;
  }

  public double hedgeWinRate() {
    return hedged == 0 ? 0 : (double) hedgeWins / hedged;
  }

  public void add(TypeStats other) {
    endToEnd.add(other.endToEnd);
    firstToken.add(other.firstToken);
    queueWait.add(other.queueWait);
    arrived += other.arrived;
    completed += other.completed;
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] += other.rejected[i];
    }
    slaMet += other.slaMet;
    promptTokens += other.promptTokens;
    outputTokens += other.outputTokens;
    hedged += other.hedged;
    hedgeWins += other.hedgeWins;
    wastedTokens += other.wastedTokens;
  }
}
