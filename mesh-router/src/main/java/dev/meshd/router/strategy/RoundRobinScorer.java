package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    List<Candidate> ordered = eligible.stream().sorted(Comparator.comparing(Candidate::key))
        .toList();
    int n = ordered.size();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    List<ScoredTarget> ranked = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double score = 1.0 - (double) i / n;
      ranked.add(new ScoredTarget(ordered.get((start + i) % n), score,
          List.of(new ScoreTerm("rotation", score, 1.0))));
    }
    return ranked;
  }
}
