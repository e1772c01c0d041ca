package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;

/**
 * Weighted queue depth, KV-cache and GPU-memory headroom and GPU utilization (and freshness when
 * stale targets are penalized), on the reported figures. Stateless.
 */
public final class HeuristicScorer implements TargetScorer {

  @Override
  public String name() {
    return StrategyNames.HEURISTIC;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    return Ranking.sorted(WeightedTerms.load(context).scoredAll(eligible));
  }

  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    return WeightedTerms.load(context).best(eligible, k);
  }

  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    return WeightedTerms.load(context).best(eligible, k);
  }
}
