package dev.meshd.router.strategy;

import dev.meshd.router.Candidate;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;

/**
 * A routing strategy: ranks eligible candidates, best first, each with the terms of its score so
 * that the decision can be explained. Implementations must be thread-safe (one instance serves
 * every request of its router) and must not block.
 */
public interface TargetScorer {

  /** The strategy's registry name ({@code dev.meshd.core.policy.StrategyNames}). */
  String name();

  /** All of {@code eligible}, best first. Never called with an empty list. */
  List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible);
}
