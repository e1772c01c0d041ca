package dev.meshd.router.strategy;

import dev.meshd.router.ScoredTarget;
import java.util.Comparator;
import java.util.List;

/** Orders scored targets best first; equal scores by candidate key, so results are stable. */
final class Ranking {

  static final Comparator<ScoredTarget> BEST_FIRST =
      Comparator.comparingDouble(ScoredTarget::score).reversed()
          .thenComparing(t -> t.candidate().key());

  private Ranking() {}

  static List<ScoredTarget> sorted(List<ScoredTarget> scored) {
    return scored.stream().sorted(BEST_FIRST).toList();
  }

  /** 1 for an empty queue, 0.5 for one waiting request, towards 0 as it grows. */
  static double queueTerm(double queue) {
    return 1.0 / (1.0 + Math.max(0, queue));
  }
}
