package dev.meshd.router.strategy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
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
 * <p>Its expected queue also counts a share of the running requests, and where runtimes measure
 * their decode rate it weighs each target's queue term by its speed against the fastest eligible
 * target, so that a mixed fleet is not loaded as if every GPU were equally fast ({@link
 * WeightedTerms}, tuned in the simulator: docs/simulation.md).
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
    List<ScoredTarget> scored = WeightedTerms.loadAndPlacement(context, true)
        .scoredAll(eligible);
    List<ScoredTarget> ranked = new ArrayList<>(Ranking.sorted(scored));
    double best = ranked.getFirst().score();
    int ties = 1;
    while (ties < ranked.size() && best - ranked.get(ties).score() <= TIE) {
      ties++;
    }
    if (ties > 1) {
      // Move a random one of the near-equal best targets to the front; the rest keep order.
      // The draw counts the ties in the order they were given (not in ranked order), so that
      // best() finds the same one in a single pass over the scores.
      int pick = random.nextInt(ties);
      ScoredTarget first = ranked.getFirst();
      ScoredTarget chosen = null;
      for (ScoredTarget t : scored) {
        if ((t == first || best - t.score() <= TIE) && pick-- == 0) {
          chosen = t;
          break;
        }
      }
      for (int i = 0; i < ranked.size(); i++) {
        if (ranked.get(i) == chosen) {
          ranked.remove(i);
          break;
        }
      }
      ranked.addFirst(chosen);
    }
    return ranked;
  }

  /**
   * {@link #rank}'s first k without sorting: the near-equal best targets are exactly the first
   * {@code ties} of the sorted order, so counting them needs only the best score, and the random
   * pick (the same single draw as {@code rank}) is found by rank among them when it falls beyond
   * the best k.
   */
  @Override
  public List<ScoredTarget> best(ScoringContext context, List<Candidate> eligible, int k) {
    TargetScorer.checkK(k);
    if (k >= eligible.size()) {
      return rank(context, eligible);
    }
    WeightedTerms terms = WeightedTerms.loadAndPlacement(context, true);
    double fastest = terms.fastest(eligible);
    double[] scores = terms.scores(eligible, fastest);
    return terms.scored(eligible, bestFirstWithTiePick(scores, k,
        Selection.bestFirst(scores, eligible)), fastest);
  }

  /** {@link #best(ScoringContext, List, int)} scored straight from the columns. */
  @Override
  public List<ScoredTarget> best(ScoringContext context, EligibleTargets eligible, int k) {
    TargetScorer.checkK(k);
    if (k >= eligible.size()) {
      return rank(context, eligible.asList());
    }
    WeightedTerms terms = WeightedTerms.loadAndPlacement(context, true);
    double fastest = terms.fastest(eligible);
    double[] scores = terms.scores(eligible, fastest);
    return terms.scored(eligible, bestFirstWithTiePick(scores, k,
        Selection.bestFirst(scores, eligible)), fastest);
  }

  /**
   * {@link #rank}'s first k positions without sorting: the near-equal best targets are exactly
   * those within {@link #TIE} of the best score, so counting them needs only the best score, and
   * the random pick (the same single draw as {@code rank}, counted in the given order) is found
   * in one more pass.
   */
  private int[] bestFirstWithTiePick(double[] scores, int k, Selection.IndexOrder order) {
    int n = scores.length;
    int[] top = Selection.topByScore(scores, n, k, order);
    double best = scores[top[0]];
    int ties = 1;
    for (int i = 0; i < n; i++) {
      if (i != top[0] && best - scores[i] <= TIE) {
        ties++;
      }
    }
    if (ties == 1) {
      return top;
    }
    int pick = random.nextInt(ties);
    int chosen = -1;
    for (int i = 0; i < n; i++) {
      if ((i == top[0] || best - scores[i] <= TIE) && pick-- == 0) {
        chosen = i;
        break;
      }
    }
    // The chosen one first, then the best k in order without it.
    int[] chosenFirst = new int[k];
    chosenFirst[0] = chosen;
    for (int t = 0, c = 1; c < k; t++) {
      if (top[t] != chosen) {
        chosenFirst[c++] = top[t];
      }
    }
    return chosenFirst;
  }
}
