package dev.meshd.router;

import java.time.Duration;

/**
 * The rejections of one {@link TargetFilters#apply}: each candidate with the filter it failed, its
 * one-line reason written when first read, because a routing decision never reads it. Immutable
 * to its readers; thread-safe (see {@link #get}).
 */
final class Rejections extends FrozenList<Rejection> {

  private final Candidate[] candidates;
  private final TargetFilters.Filter[] failed;
  private final long staleBoundMs;
  private final int maxQueue;

  Rejections(Candidate[] candidates, TargetFilters.Filter[] failed, int size,
      Duration staleBound, int maxQueue) {
    super(new Rejection[size], size);
    this.candidates = candidates;
    this.failed = failed;
    this.staleBoundMs = staleBound.toMillis();
    this.maxQueue = maxQueue;
  }

  @Override
  public Rejection get(int index) {
    Rejection r = super.get(index);
    if (r == null) {
      // A benign race: two readers may both build it. A Rejection is immutable with final
      // fields, so either copy is safely published, and the two are equal.
      r = new Rejection(candidates[index],
          failed[index].reason(candidates[index], staleBoundMs, maxQueue));
      elements[index] = r;
    }
    return r;
  }

  /** Whether every candidate was rejected by {@code filter}, without writing any reason. */
  boolean allFailed(TargetFilters.Filter filter) {
    for (int i = 0; i < size(); i++) {
      if (failed[i] != filter) {
        return false;
      }
    }
    return true;
  }
}
