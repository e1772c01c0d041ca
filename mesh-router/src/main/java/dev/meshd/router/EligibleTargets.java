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
  /** Targets materialized one by one before all are built: a decision asks for its best k. */
  private static final int FEW = 8;

  /** The positions materialized so far and their candidates. */
  private int[] materializedAt;
  private Candidate[] materialized;
  private int materializedCount;
  /** Every target, by position, once {@link #asList} has built them all; null until then. */
  private Candidate[] all;

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
    if (j < 0 || j >= size) {
      throw new IndexOutOfBoundsException("eligible target " + j + " of " + size);
    }
    if (all != null) {
      return all[j];
    }
    for (int m = 0; m < materializedCount; m++) {
      if (materializedAt[m] == j) {
        return materialized[m];
      }
    }
    if (materializedCount == FEW) {
      return asList().get(j); // a caller that walks them all: build them all once
    }
    Candidate c = columns.candidate(index[j], nowNanos, routed[j]);
    if (materialized == null) {
      materializedAt = new int[FEW];
      materialized = new Candidate[FEW];
    }
    materializedAt[materializedCount] = j;
    materialized[materializedCount++] = c;
    return c;
  }

  /** Every eligible target as a {@link Candidate}, in column order. */
  public List<Candidate> asList() {
    if (all == null) {
      Candidate[] built = new Candidate[size];
      for (int m = 0; m < materializedCount; m++) {
        built[materializedAt[m]] = materialized[m];
      }
      for (int j = 0; j < size; j++) {
        if (built[j] == null) {
          built[j] = columns.candidate(index[j], nowNanos, routed[j]);
        }
      }
      all = built;
    }
    return new FrozenList<>(all, size);
  }
}
