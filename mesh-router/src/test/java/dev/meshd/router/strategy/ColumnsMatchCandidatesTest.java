package dev.meshd.router.strategy;

import static dev.meshd.router.strategy.BestMatchesRankTest.candidate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.LinkSummary;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.StalePolicy;
import dev.meshd.router.TargetFilters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A decision on columns is the decision on candidates: for every strategy, filtering and
 * choosing over {@link CandidateColumns} read later than they were built, with requests routed
 * into them meanwhile, gives exactly what filtering and choosing over freshly built candidates
 * gives (candidates aged by the same time, their routed counts raised by the same dispatches):
 * same targets, scores, terms and order, and the same draws from stateful strategies (run in
 * lockstep from generators of one seed). Fleets are seeded and built to tie, to be stale, dead,
 * draining, unhealthy and over the admission limit, with origins, links and shared keys.
 */
class ColumnsMatchCandidatesTest {

  private static final int FLEETS = 300;
  private static final long BUILT_AT = 5_000_000_000L;

  @Test
  void columnarDecisionsEqualCandidateDecisions() {
    for (String name : StrategyNames.ALL) {
      SplittableRandom r = new SplittableRandom(20261130L);
      TargetScorer onCandidates = new Strategies(new SplittableRandom(3)).forName(name)
          .orElseThrow();
      TargetScorer onColumns = new Strategies(new SplittableRandom(3)).forName(name)
          .orElseThrow();
      int compared = 0;
      for (int f = 0; f < FLEETS; f++) {
        int n = f % 10 == 0 ? 200 + r.nextInt(300) : 1 + r.nextInt(40);
        List<Candidate> fleet = fleet(r, n);
        CandidateColumns columns = CandidateColumns.of(fleet, BUILT_AT);
        Map<String, Integer> dispatched = new HashMap<>();
        for (int d = r.nextInt(4); d > 0; d--) {
          String key = fleet.get(r.nextInt(n)).key();
          columns.addRouted(key);
          dispatched.merge(key, 1, Integer::sum);
        }
        long later = r.nextInt(3) * 1_500_000_000L;
        List<Candidate> fresh = fleet.stream().map(c -> aged(c, later,
            dispatched.getOrDefault(c.key(), 0))).toList();
        ScoringContext context = context(r);
        Admission admission = new Admission(r.nextBoolean() ? 0 : 2 + r.nextInt(3), 0);
        int k = 1 + r.nextInt(Math.min(n + 3, 8));

        List<Candidate> eligible = TargetFilters.apply(fresh, context, admission).eligible();
        EligibleTargets columnar =
            TargetFilters.eligible(columns, context, admission, BUILT_AT + later);
        assertThat(columnar.asList()).as("%s, fleet %d: eligible", name, f)
            .isEqualTo(eligible);
        if (eligible.isEmpty()) {
          continue;
        }
        List<ScoredTarget> expected = onCandidates.best(context, eligible, k);
        List<ScoredTarget> actual = onColumns.best(context, columnar, k);
        assertThat(actual).as("%s, fleet %d of %d targets, k=%d", name, f, n, k)
            .isEqualTo(expected);
        compared++;
      }
      assertThat(compared).as(name).isGreaterThan(FLEETS / 2);
    }
  }

  /**
   * Columns given new figures by {@link CandidateColumns#withFigures} decide exactly as columns
   * built from candidates that carry those figures: same eligible targets (as candidates), same
   * choices, scores, terms and draws, for every strategy.
   */
  @Test
  void columnsWithNewFiguresDecideAsColumnsBuiltFromThoseFigures() {
    for (String name : StrategyNames.ALL) {
      SplittableRandom r = new SplittableRandom(20261201L);
      TargetScorer onBuilt = new Strategies(new SplittableRandom(5)).forName(name).orElseThrow();
      TargetScorer onRefigured = new Strategies(new SplittableRandom(5)).forName(name)
          .orElseThrow();
      Strategies warmUp = new Strategies(new SplittableRandom(6));
      int compared = 0;
      for (int f = 0; f < FLEETS; f++) {
        int n = 1 + r.nextInt(60);
        List<Candidate> before = fleet(r, n);
        List<Candidate> after = new ArrayList<>(n);
        CandidateColumns.Figures figures = new CandidateColumns.Figures(n);
        for (int i = 0; i < n; i++) {
          Candidate old = before.get(i);
          OptionalDouble kv = r.nextInt(4) == 0 ? OptionalDouble.empty()
              : OptionalDouble.of(r.nextInt(5) / 4.0);
          Candidate c = new Candidate(old.nodeId(), old.hostId(), old.zone(), old.region(),
              old.runtime(), old.model(), old.alive(), old.draining(), old.runtimeHealthy(),
              old.unhealthyReason(), r.nextInt(5), r.nextInt(3), kv, decodeRate(r),
              r.nextInt(5) / 4.0, r.nextInt(5) / 4.0, Duration.ofMillis(r.nextInt(4) * 900),
              r.nextInt(3), old.slowestLink());
          after.add(c);
          figures.set(i, c.queueDepth(), c.runningRequests(), kv.orElse(Double.NaN),
              c.decodeTokensPerSecond().orElse(Double.NaN),
              c.vramFreeRatio(), c.gpuUtilization(), BUILT_AT - c.signalAge().toNanos(),
              c.routedSinceSignal());
        }
        CandidateColumns built = CandidateColumns.of(after, BUILT_AT);
        CandidateColumns original = CandidateColumns.of(before, 0);
        CandidateColumns refigured = original.withFigures(figures, BUILT_AT);
        ScoringContext context = context(r);
        Admission admission = new Admission(r.nextBoolean() ? 0 : 2 + r.nextInt(3), 0);
        long now = BUILT_AT + r.nextInt(3) * 700_000_000L;
        int k = 1 + r.nextInt(Math.min(n + 3, 8));
        // A decision on the original columns first (its own scorer, so no draw is taken from
        // the compared ones): what it derives from identities alone (locality to the origin)
        // is shared with the refigured copy, which must still decide as freshly built columns.
        EligibleTargets fromOriginal = TargetFilters.eligible(original, context,
            Admission.UNLIMITED, 0);
        if (fromOriginal.size() > 0) {
          warmUp.forName(name).orElseThrow().best(context, fromOriginal, 1);
        }

        EligibleTargets fromBuilt = TargetFilters.eligible(built, context, admission, now);
        EligibleTargets fromRefigured = TargetFilters.eligible(refigured, context, admission, now);
        assertThat(fromRefigured.asList()).as("%s, fleet %d: eligible", name, f)
            .isEqualTo(fromBuilt.asList());
        if (fromBuilt.size() == 0) {
          continue;
        }
        assertThat(onRefigured.best(context, fromRefigured, k))
            .as("%s, fleet %d of %d targets, k=%d", name, f, n, k)
            .isEqualTo(onBuilt.best(context, fromBuilt, k));
        compared++;
      }
      assertThat(compared).as(name).isGreaterThan(FLEETS / 2);
    }
  }

  @Test
  void figuresOfTheWrongSizeAreRefused() {
    CandidateColumns columns = CandidateColumns.of(List.of(candidate("n1", "http://a", 0, 0, 0.1,
        Duration.ZERO, Optional.empty())), BUILT_AT);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> columns.withFigures(new CandidateColumns.Figures(2), BUILT_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: 1");
  }

  @Test
  void aTargetWhoseSignalsStopBecomesStaleWithoutARebuild() {
    Candidate quiet = candidate("n1", "http://a", 0, 0, 0.1, Duration.ofMillis(500),
        Optional.empty());
    CandidateColumns columns = CandidateColumns.of(List.of(quiet), BUILT_AT);
    ScoringContext drop = new ScoringContext(RouteRequest.of("m"), Map.of(),
        Duration.ofSeconds(2), StalePolicy.DROP);

    assertThat(TargetFilters.eligible(columns, drop, Admission.UNLIMITED, BUILT_AT + 1_400_000_000L)
        .size()).isEqualTo(1);
    assertThat(TargetFilters.eligible(columns, drop, Admission.UNLIMITED, BUILT_AT + 1_600_000_000L)
        .size()).isZero();
  }

  @Test
  void routedRequestsCountTowardsAdmissionAtOnce() {
    Candidate c = candidate("n1", "http://a", 2, 0, 0.1, Duration.ZERO, Optional.empty());
    CandidateColumns columns = CandidateColumns.of(List.of(c), BUILT_AT);
    ScoringContext context = ScoringContext.defaults(RouteRequest.of("m"));
    Admission maxThree = new Admission(3, 0);

    assertThat(columns.addRouted(c.key())).isTrue();
    assertThat(columns.addRouted("n9/http://b")).isFalse();
    assertThat(TargetFilters.eligible(columns, context, maxThree, BUILT_AT).size()).isEqualTo(1);
    columns.addRouted(c.key());
    assertThat(TargetFilters.eligible(columns, context, maxThree, BUILT_AT).size()).isZero();
  }

  private static Candidate aged(Candidate c, long laterNanos, int moreRouted) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(),
        c.signalAge().plusNanos(laterNanos), c.routedSinceSignal() + moreRouted,
        c.slowestLink());
  }

  private static List<Candidate> fleet(SplittableRandom r, int n) {
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
      Candidate c = candidate(node, runtime, r.nextInt(4), r.nextInt(3), r.nextInt(3) / 2.0,
          Duration.ofMillis(r.nextInt(3) * 1000), link);
      int health = r.nextInt(12);
      fleet.add(new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(),
          c.model(), health != 0, health == 1, health != 2, health == 2 ? "HTTP 503" : "",
          c.queueDepth(), c.runningRequests(), c.kvCacheUsage(), decodeRate(r),
          r.nextInt(5) / 4.0 - 0.1, r.nextInt(5) / 4.0, c.signalAge(), c.routedSinceSignal(),
          c.slowestLink()));
    }
    return fleet;
  }

  /** A measured decode rate half the time, from a few values so that equal speeds occur. */
  private static OptionalDouble decodeRate(SplittableRandom r) {
    return r.nextBoolean() ? OptionalDouble.empty() : OptionalDouble.of(10 + r.nextInt(4) * 15.5);
  }

  private static ScoringContext context(SplittableRandom r) {
    Optional<RouteRequest.Origin> origin = switch (r.nextInt(4)) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(new RouteRequest.Origin("n1", "", "", ""));
      case 2 -> Optional.of(new RouteRequest.Origin("elsewhere", "host-n3", "z1", "r1"));
      default -> Optional.of(new RouteRequest.Origin("n1", "host-n2", "z" + r.nextInt(2), "r1"));
    };
    return BestMatchesRankTest.context(r, origin);
  }
}
