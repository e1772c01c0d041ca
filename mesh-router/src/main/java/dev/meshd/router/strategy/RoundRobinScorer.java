package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rotates through the eligible targets in a stable order (by key), ignoring load: the baseline
 * every other strategy must beat. Thread-safe (one atomic counter).
 */
public final class RoundRobinScorer implements TargetScorer {

  private final AtomicLong next = new AtomicLong();

  @Override
  public String name() {
    return StrategyNames.ROUND_ROBIN;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    List<Candidate> ordered = eligible.stream().sorted(Ranking::compareKeys)
        .toList();
    int n = ordered.size();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    List<ScoredTarget> ranked = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ranked.add(rotation(ordered.get((start + i) % n), i, n));
    }
    return ranked;
  }

  /**
   * {@link #rank}'s first k without sorting: the target at the rotation's position by key
   * (quickselect), then the next k-1 by key after it, wrapping to the smallest keys.
   */
  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    if (k >= eligible.size()) {
      return rank(context, eligible);
    }
    return best(eligible.size(), k, eligible::get, Selection.byKey(eligible));
  }

  /** {@link #best(ScoringContext, List, int)} on columns: key order is the columns' key rank. */
  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    if (k >= eligible.size()) {
      return rank(context, eligible.asList());
    }
    return best(eligible.size(), k, eligible::candidate, Selection.byKey(eligible));
  }

  private List<ScoredTarget> best(int n, int k, IntFunction<Candidate> candidate,
      Selection.IndexOrder byKey) {
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    int[] indices = Selection.identity(n);
    int first = Selection.select(indices, 0, n, start, byKey);
    // After the select, indices[start + 1..n) hold the larger keys and indices[0..start) the
    // smaller ones: the successors are the smallest of the first, then of the second.
    int[] after = Selection.top(indices, start + 1, n, Math.min(k - 1, n - 1 - start), byKey);
    int[] wrapped = Selection.top(indices, 0, start, k - 1 - after.length, byKey);
    ScoredTarget[] best = new ScoredTarget[k];
    best[0] = rotation(candidate.apply(first), 0, n);
    for (int i = 0; i < after.length; i++) {
      best[1 + i] = rotation(candidate.apply(after[i]), 1 + i, n);
    }
    for (int i = 0; i < wrapped.length; i++) {
      best[1 + after.length + i] =
          rotation(candidate.apply(wrapped[i]), 1 + after.length + i, n);
    }
    return List.of(best);
  }

  private static ScoredTarget rotation(Candidate c, int position, int n) {
    double score = 1.0 - (double) position / n;
    return new ScoredTarget(c, score, List.of(new ScoreTerm("rotation", score, 1.0)));
  }
}
