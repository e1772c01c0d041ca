package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The heuristic's terms plus locality to the request's origin (same node, host, zone, region)
 * and, for pipeline placements, the slowest stage link's measured bandwidth (its class's nominal
 * bandwidth until measured). Stateless.
 */
public final class FabricAwareScorer implements TargetScorer {

  @Override
  public String name() {
    return StrategyNames.FABRIC_AWARE;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    return Ranking.sorted(eligible.stream().map(c -> score(context, c, c.queueDepth())).toList());
  }

  static ScoredTarget score(ScoringContext context, Candidate c, double queue) {
    List<ScoreTerm> terms = new ArrayList<>(WeightedTerms.load(context, c, queue));
    terms.addAll(WeightedTerms.placement(context, c));
    return WeightedTerms.total(c, terms);
  }
}
