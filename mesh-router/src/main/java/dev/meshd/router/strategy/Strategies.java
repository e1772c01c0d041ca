package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One instance of each strategy, by registry name. A router holds one {@code Strategies}; the
 * simulator makes one per run with a seeded generator. Thread-safe when the generator is.
 */
public final class Strategies {

  private final Map<String, TargetScorer> byName = new LinkedHashMap<>();

  public Strategies(RandomGenerator random) {
    for (TargetScorer scorer : new TargetScorer[] {
        new RoundRobinScorer(), new LeastQueueScorer(), new PowerOfTwoScorer(random),
        new HeuristicScorer(), new FabricAwareScorer(), new HybridScorer(random)}) {
      byName.put(scorer.name(), scorer);
    }
    if (!byName.keySet().equals(StrategyNames.ALL)) {
      throw new IllegalStateException("strategies " + byName.keySet()
          + " differ from the registry " + StrategyNames.ALL);
    }
  }

  public Optional<TargetScorer> forName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The default strategy, used when no policy matches a model. */
  public TargetScorer defaultStrategy() {
    return byName.get(StrategyNames.HYBRID);
  }
}
