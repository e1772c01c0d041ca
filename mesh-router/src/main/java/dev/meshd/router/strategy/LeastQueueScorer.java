package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Join-the-shortest-queue on the reported queue depth; equal queues go to the target with fewer
 * running requests. Every router sends to the same shortest queue until the next signal arrives,
 * which is what {@code hybrid} corrects. Stateless.
 */
public final class LeastQueueScorer implements TargetScorer {

  @Override
  public String name() {
    return StrategyNames.LEAST_QUEUE;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    return Ranking.sorted(eligible.stream().map(LeastQueueScorer::score).toList());
  }

  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    double[] scores = scores(eligible);
    return best(Selection.top(eligible.size(), Math.min(k, eligible.size()), -1, -1,
        Selection.bestFirst(scores, eligible)), eligible::get);
  }

  /** {@link #best(ScoringContext, List, int)} scored straight from the columns. */
  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    double[] scores = scores(eligible);
    return best(Selection.top(eligible.size(), Math.min(k, eligible.size()), -1, -1,
        Selection.bestFirst(scores, eligible)), eligible::candidate);
  }

  private static List<ScoredTarget> best(int[] top, IntFunction<Candidate> candidate) {
    ScoredTarget[] best = new ScoredTarget[top.length];
    for (int i = 0; i < top.length; i++) {
      best[i] = score(candidate.apply(top[i]));
    }
    return List.of(best);
  }

  /** {@link #value} of every eligible target, from the columns. */
  static double[] scores(EligibleTargets eligible) {
    CandidateColumns columns = eligible.columns();
    double[] scores = new double[eligible.size()];
    for (int j = 0; j < scores.length; j++) {
      int i = eligible.column(j);
      scores[j] = Ranking.queueTerm(columns.queueDepth(i))
          + Ranking.queueTerm(columns.runningRequests(i)) * 1e-3;
    }
    return scores;
  }

  static double[] scores(List<Candidate> eligible) {
    double[] scores = new double[eligible.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = value(eligible.get(i));
    }
    return scores;
  }

  static ScoredTarget score(Candidate c) {
    double queue = Ranking.queueTerm(c.queueDepth());
    double running = Ranking.queueTerm(c.runningRequests());
    return new ScoredTarget(c, queue + running * 1e-3,
        List.of(new ScoreTerm("queue_depth", queue, 1.0),
            new ScoreTerm("running_requests", running, 1e-3)));
  }

  /** The score of {@link #score}, without its terms. */
  static double value(Candidate c) {
    // Running requests only break ties: at most a thousandth of one queue step.
    return Ranking.queueTerm(c.queueDepth()) + Ranking.queueTerm(c.runningRequests()) * 1e-3;
  }
}
