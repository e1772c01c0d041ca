package dev.meshd.router.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.LinkSummary;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.StalePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast path is the explanation's prefix: for every strategy, {@code best(ctx, c, k)} equals
 * the first k of {@code rank(ctx, c)}, same targets, same scores, same terms, same order, over
 * seeded random fleets built to tie (loads drawn from a few values, equal and prefix-related node
 * ids, duplicate keys, all-zero weights), with stale targets, origins and pipeline links, and k
 * from 1 to beyond the fleet.
 *
 * <p>{@code round_robin}, {@code power_of_two} and {@code hybrid} have state (a counter, a random
 * generator). The contract is that {@code best} advances it exactly as {@code rank} does (the
 * same draws in the same order), so the strong property holds for them too: the test runs two
 * {@link Strategies} from generators of the same seed in lockstep, one answering {@code rank},
 * the other {@code best}, and any extra or missing draw would desynchronize every later decision.
 */
class BestMatchesRankTest {

  private static final int FLEETS = 400;

  @Test
  void bestIsTheFirstKOfRankForEveryStrategy() {
    for (String name : StrategyNames.ALL) {
      SplittableRandom fleets = new SplittableRandom(20261129L);
      TargetScorer ranking = new Strategies(new SplittableRandom(99)).forName(name).orElseThrow();
      TargetScorer fast = new Strategies(new SplittableRandom(99)).forName(name).orElseThrow();
      for (int f = 0; f < FLEETS; f++) {
        int n = f % 10 == 0 ? 200 + fleets.nextInt(300) : 1 + fleets.nextInt(40);
        List<Candidate> fleet = fleet(fleets, n);
        ScoringContext context = context(fleets);
        int k = 1 + fleets.nextInt(Math.min(n + 3, 8));
        List<ScoredTarget> ranked = ranking.rank(context, fleet);
        List<ScoredTarget> best = fast.best(context, fleet, k);
        assertThat(best).as("%s, fleet %d of %d targets, k=%d", name, f, n, k)
            .isEqualTo(ranked.subList(0, Math.min(k, n)));
      }
    }
  }

  @Test
  void everyRotationAndEveryTiePickMatches() {
    // Small fleets of identical targets: every round-robin start and every hybrid tie pick
    // (including picks beyond k) is reached many times.
    for (String name : StrategyNames.ALL) {
      TargetScorer ranking = new Strategies(new SplittableRandom(5)).forName(name).orElseThrow();
      TargetScorer fast = new Strategies(new SplittableRandom(5)).forName(name).orElseThrow();
      SplittableRandom fleets = new SplittableRandom(6);
      ScoringContext context = ScoringContext.defaults(RouteRequest.of("m"));
      for (int i = 0; i < 500; i++) {
        List<Candidate> fleet = new ArrayList<>();
        int n = 2 + fleets.nextInt(9);
        for (int j = 0; j < n; j++) {
          fleet.add(candidate("n" + fleets.nextInt(20), "http://r" + fleets.nextInt(2), 0, 0,
              0.5, Duration.ZERO, Optional.empty()));
        }
        int k = 1 + i % 3;
        assertThat(fast.best(context, fleet, k)).as(name)
            .isEqualTo(ranking.rank(context, fleet).subList(0, Math.min(k, n)));
      }
    }
  }

  @Test
  void kMustBePositive() {
    List<Candidate> one = List.of(candidate("a", "r", 0, 0, 0, Duration.ZERO, Optional.empty()));
    for (String name : StrategyNames.ALL) {
      TargetScorer scorer = new Strategies(new SplittableRandom(1)).forName(name).orElseThrow();
      assertThatThrownBy(() -> scorer.best(ScoringContext.defaults(RouteRequest.of("m")), one, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("k: 0 (expected: >= 1)");
    }
  }

  private static List<Candidate> fleet(SplittableRandom r, int n) {
    // Few distinct values, so scores tie often; node ids that are prefixes of one another
    // ("n1", "n1-", "n10") and shared by several runtimes, so ties go to the key comparison.
    String[] suffixes = {"", "-", "0", "-a", "/x"};
    List<Candidate> fleet = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String node = "n" + r.nextInt(Math.max(2, n / 2)) + suffixes[r.nextInt(suffixes.length)];
      String runtime = "http://" + (char) ('a' + r.nextInt(3)) + ":800" + r.nextInt(2);
      Optional<LinkSummary> link = switch (r.nextInt(4)) {
        case 0 -> Optional.of(new LinkSummary("NVLINK", 0));
        case 1 -> Optional.of(new LinkSummary("QUIC", r.nextInt(2) * 1e9, r.nextInt(3) * 150L));
        default -> Optional.empty();
      };
      fleet.add(candidate(node, runtime, r.nextInt(4), r.nextInt(3), r.nextInt(3) / 2.0,
          Duration.ofMillis(r.nextInt(2) * 5000), link));
    }
    return fleet;
  }

  private static ScoringContext context(SplittableRandom r) {
    Optional<RouteRequest.Origin> origin = r.nextBoolean() ? Optional.empty()
        : Optional.of(new RouteRequest.Origin("n1", "host-n2", "z" + r.nextInt(2), "r1"));
    return context(r, origin);
  }

  /** A context with {@code origin}, seeded weights (all zero, a few, defaults) and stale rule. */
  static ScoringContext context(SplittableRandom r, Optional<RouteRequest.Origin> origin) {
    Map<String, Double> weights = switch (r.nextInt(4)) {
      case 0 -> Map.of("queue_depth", 0.0, "kv_headroom", 0.0, "vram_headroom", 0.0,
          "gpu_utilization", 0.0, "freshness", 0.0, "locality", 0.0, "fabric", 0.0);
      case 1 -> Map.of("queue_depth", 1.0, "locality", 0.5);
      default -> Map.of();
    };
    return new ScoringContext(new RouteRequest("m", "", 0, 0, origin), weights,
        Duration.ofSeconds(2), r.nextBoolean() ? StalePolicy.PENALIZE : StalePolicy.DROP);
  }

  static Candidate candidate(String node, String runtime, double queue, int routed,
      double kv, Duration age, Optional<LinkSummary> link) {
    return new Candidate(node, "host-" + node, "z" + node.length() % 2, "r1", runtime, "m", true,
        false, true, "", queue, queue % 2, kv == 0.5 ? OptionalDouble.empty()
        : OptionalDouble.of(kv), OptionalDouble.empty(), 0.5, 0.25, age, routed, link);
  }
}
