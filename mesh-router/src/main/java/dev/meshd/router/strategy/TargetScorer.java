package dev.meshd.router.strategy;

import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.util.List;

/**
 * A routing strategy: ranks eligible candidates, best first, each with the terms of its score so
 * that the decision can be explained. Implementations must be thread-safe (one instance serves
 * every request of its router) and must not block.
 *
 * <p>Two entry points, one order: {@link #rank} is the full explanation (every target, every
 * term), {@link #best} is what a routing decision needs (the choice and a few alternates for retry
 * or hedging). For the same context, candidates and strategy state (round-robin position, random
 * generator), {@code best(context, eligible, k)} returns exactly the first {@code k} of {@code
 * rank(context, eligible)}, and advances that state exactly as {@code rank} would.
 */
public interface TargetScorer {

  /** The strategy's registry name ({@code dev.meshd.core.policy.StrategyNames}). */
  String name();

  /** All of {@code eligible}, best first. Never called with an empty list. */
  List<ScoredTarget> rank(ScoringContext context, List<Candidate> eligible);

  /**
   * The first {@code min(k, eligible.size())} of {@link #rank}, with the same scores and terms.
   * Strategies override it to score into a primitive array, select the best k without sorting and
   * build terms only for those; this default ranks everything. Never called with an empty list.
   *
   * @param k how many targets the caller can use: the choice plus its retry or hedge alternates
   * @throws IllegalArgumentException if {@code k < 1}
   */
  default List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    checkK(k);
    List<ScoredTarget> ranked = rank(context, eligible);
    return List.copyOf(ranked.size() <= k ? ranked : ranked.subList(0, k));
  }

  /**
   * {@link #best(ScoringContext, List, int)} over columns: the same targets, scores and terms as
   * on {@code eligible.asList()}, and the same change to the strategy's state. Strategies whose
   * scores come from primitive figures override it to score straight from the columns; this
   * default turns the targets into candidates first.
   */
  default List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    return best(context, eligible.asList(), k);
  }

  /** The argument check every {@link #best} implementation starts with. */
  static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
  }
}
