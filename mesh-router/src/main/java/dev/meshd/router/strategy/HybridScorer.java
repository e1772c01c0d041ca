package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The default: {@code fabric_aware}'s terms, with two corrections for the weakness every
 * load-based strategy shares, herding on a signal that is already old:
 *
 * <ul>
 *   <li>the queue term uses the router's own estimate, the reported queue plus the requests this
 *       router sent to the target since that report ({@link Candidate#effectiveQueue()}), so
 *       consecutive decisions spread before the next signal arrives;
 *   <li>targets whose scores are within {@link #TIE} of the best are shuffled, so that many
 *       routers with the same view do not all pick the same one of near-equal targets.
 * </ul>
 *
 * <p>Until the simulator measures the alternatives on the same workloads, this is the argued
 * choice: load awareness (heuristic), locality and link speed (fabric_aware), and the randomized
 * spreading that makes power-of-two robust. Thread-safe when the random generator is.
 */
public final class HybridScorer implements TargetScorer {

  /** Scores this close to the best are treated as equal. */
  static final double TIE = 0.01;

  private final RandomGenerator random;

  public HybridScorer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public String name() {
    return StrategyNames.HYBRID;
  }

  @Override
  public List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible) {
    List<ScoredTarget> ranked = new ArrayList<>(Ranking.sorted(eligible.stream()
        .map(c -> FabricAwareScorer.score(context, c, c.effectiveQueue())).toList()));
    double best = ranked.getFirst().score();
    int ties = 1;
    while (ties < ranked.size() && best - ranked.get(ties).score() <= TIE) {
      ties++;
    }
    if (ties > 1) {
      // Move a random one of the near-equal best targets to the front; the rest keep order.
      ScoredTarget chosen = ranked.remove(random.nextInt(ties));
      ranked.addFirst(chosen);
    }
    return ranked;
  }
}
