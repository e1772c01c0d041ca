package dev.meshd.router;

import java.util.List;

/**
 * The targets of one decision that passed the hard filters, as positions in a model's {@link
 * CandidateColumns}, with the figures that decision read once and must read the same way
 * throughout: the time it was made and each target's count of requests routed since its signal
 * (which other decisions may be raising meanwhile). What a strategy's columnar path scores.
 *
 * <p>Confined to the deciding thread.
 */
public final class EligibleTargets {

  private final CandidateColumns columns;
  private final int[] index;
  private final int[] routed;
  private final int size;
  private final long nowNanos;
  private Candidate[] materialized;

  EligibleTargets(CandidateColumns columns, int[] index, int[] routed, int size,
      long nowNanos) {
    this.columns = columns;
    this.index = index;
    this.routed = routed;
    this.size = size;
    this.nowNanos = nowNanos;
  }

  public int size() {
    return size;
  }

  public CandidateColumns columns() {
    return columns;
  }

  /** The column of the {@code j}-th eligible target. */
  public int column(int j) {
    return index[j];
  }

  /** The {@code j}-th target's requests routed since its signal, as this decision read it. */
  public int routed(int j) {
    return routed[j];
  }

  /** The reported queue plus {@link #routed}: {@link Candidate#effectiveQueue()}. */
  public double effectiveQueue(int j) {
    return columns.queueDepth(index[j]) + routed[j];
  }

  /** The {@code j}-th target's signal age at this decision's time. */
  public long ageNanos(int j) {
    return columns.ageNanos(index[j], nowNanos);
  }

  /** The {@code j}-th target as a {@link Candidate}; the same instance on every call. */
  public Candidate candidate(int j) {
    if (materialized == null) {
      materialized = new Candidate[size];
    }
    Candidate c = materialized[j];
    if (c == null) {
      c = columns.candidate(index[j], nowNanos, routed[j]);
      materialized[j] = c;
    }
    return c;
  }

  /** Every eligible target as a {@link Candidate}, in column order. */
  public List<Candidate> asList() {
    Candidate[] all = new Candidate[size];
    for (int j = 0; j < size; j++) {
      all[j] = candidate(j);
    }
    return new FrozenList<>(all, size);
  }
}
