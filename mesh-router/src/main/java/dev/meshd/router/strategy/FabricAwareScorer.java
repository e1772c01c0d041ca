package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;

/**
 * The heuristic's terms plus locality to the request's origin (same node, host, zone, region)
 * and, for pipeline placements, the share of a decode step left for compute by its slowest stage
 * link (round trip and the batch's activations over its bandwidth, as measured, else the
 * class's nominal bandwidth), which also scales the queue term ({@link WeightedTerms}).
 *
 * <p>Its load figure is the reported waiting queue, empty under continuous batching until a
 * target's slots are full: below that the link share alone decides, and a pipeline whose link
 * costs a tenth of a step or more gets next to nothing (docs/routing.md). {@code hybrid}
 * counts running requests too. Stateless.
 */
public final class FabricAwareScorer implements TargetScorer {

  @Override
  public String name() {
    return StrategyNames.FABRIC_AWARE;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    return Ranking.sorted(WeightedTerms.loadAndPlacement(context, false).scoredAll(eligible));
  }

  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    return WeightedTerms.loadAndPlacement(context, false).best(eligible, k);
  }

  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    return WeightedTerms.loadAndPlacement(context, false).best(eligible, k);
  }
}
