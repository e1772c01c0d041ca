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
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: samples two distinct targets at random and ranks the less loaded (queue,
 * then running requests) first, the other second; the rest follow by queue so that a retry has
 * somewhere to go. Random sampling keeps many routers with the same stale view from herding onto
 * one target. Thread-safe when the random generator is (pass a thread-safe one, or one per
 * thread).
 */
public final class PowerOfTwoScorer implements TargetScorer {

  private final RandomGenerator random;

  public PowerOfTwoScorer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public String name() {
    return StrategyNames.POWER_OF_TWO;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    int n = eligible.size();
    if (n == 1) {
      return List.of(sampled(LeastQueueScorer.score(eligible.getFirst()), 1.0));
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    ScoredTarget first = LeastQueueScorer.score(eligible.get(a));
    ScoredTarget second = LeastQueueScorer.score(eligible.get(b));
    if (second.score() > first.score()) {
      ScoredTarget swap = first;
      first = second;
      second = swap;
    }
    List<ScoredTarget> ranked = new ArrayList<>(n);
    ranked.add(sampled(first, 2.0));
    ranked.add(sampled(second, 1.0));
    List<Candidate> rest = new ArrayList<>(eligible);
    rest.remove(Math.max(a, b));
    rest.remove(Math.min(a, b));
    ranked.addAll(Ranking.sorted(rest.stream().map(LeastQueueScorer::score).toList()));
    return ranked;
  }

  /**
   * {@link #rank}'s first k: the same two draws, then the best k-2 of the rest by selection
   * instead of a sort.
   */
  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    int n = eligible.size();
    if (n == 1 || k >= n) {
      return rank(context, eligible);
    }
    return best(n, k, eligible::get, () -> {
      double[] scores = LeastQueueScorer.scores(eligible);
      return Selection.bestFirst(scores, eligible);
    });
  }

  /** {@link #best(ScoringContext, List, int)} on columns: the same draws, then by selection. */
  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    int n = eligible.size();
    if (n == 1 || k >= n) {
      return rank(context, eligible.asList());
    }
    return best(n, k, eligible::candidate, () -> {
      double[] scores = LeastQueueScorer.scores(eligible);
      return Selection.bestFirst(scores, eligible);
    });
  }

  private List<ScoredTarget> best(int n, int k, IntFunction<Candidate> candidate,
      Supplier<Selection.IndexOrder> byQueue) {
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    ScoredTarget first = LeastQueueScorer.score(candidate.apply(a));
    ScoredTarget second = LeastQueueScorer.score(candidate.apply(b));
    if (second.score() > first.score()) {
      ScoredTarget swap = first;
      first = second;
      second = swap;
    }
    ScoredTarget[] best = new ScoredTarget[k];
    best[0] = sampled(first, 2.0);
    if (k > 1) {
      best[1] = sampled(second, 1.0);
    }
    if (k > 2) {
      // Only a retry or hedge alternate beyond the two samples needs every queue scored.
      int[] rest = Selection.top(n, k - 2, a, b, byQueue.get());
      for (int i = 0; i < rest.length; i++) {
        best[i + 2] = LeastQueueScorer.score(candidate.apply(rest[i]));
      }
    }
    return List.of(best);
  }

  /** Sampled targets score above every unsampled one (whose least-queue score is at most ~1). */
  private static ScoredTarget sampled(ScoredTarget byQueue, double rank) {
    List<ScoreTerm> terms = new ArrayList<>(byQueue.terms());
    terms.add(new ScoreTerm("sampled", 1.0, rank));
    return new ScoredTarget(byQueue.candidate(), byQueue.score() + rank, terms);
  }
}
