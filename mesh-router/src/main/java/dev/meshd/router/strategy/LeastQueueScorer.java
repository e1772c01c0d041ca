package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;

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

  static ScoredTarget score(Candidate c) {
    double queue = Ranking.queueTerm(c.queueDepth());
    // Running requests only break ties: at most a thousandth of one queue step.
    double running = Ranking.queueTerm(c.runningRequests());
    return new ScoredTarget(c, queue + running * 1e-3,
        List.of(new ScoreTerm("queue_depth", queue, 1.0),
            new ScoreTerm("running_requests", running, 1e-3)));
  }
}
