package dev.meshd.router;

import static dev.meshd.router.Candidates.aged;
import static dev.meshd.router.Candidates.idle;
import static dev.meshd.router.Candidates.routedSince;
import static dev.meshd.router.Candidates.state;
import static dev.meshd.router.Candidates.withQueue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.policy.Admission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetFiltersTest {

  private final ScoringContext drop = new ScoringContext(RouteRequest.of("m"), Map.of(),
      Duration.ofSeconds(2), StalePolicy.DROP);

  @Test
  void eachHardFilterNamesItsReason() {
    List<Candidate> candidates = List.of(
        idle("ok"),
        state(idle("suspect"), false, false, ""),
        state(idle("draining"), true, true, ""),
        state(idle("sick"), true, false, "GET /metrics: HTTP 503"),
        aged(idle("stale"), Duration.ofMillis(2500)),
        withQueue("deep", 33),
        routedSince(withQueue("filling", 30), 3));

    TargetFilters.Result result = TargetFilters.apply(candidates, drop, new Admission(32, 0));

    assertThat(result.eligible()).extracting(Candidate::nodeId).containsExactly("ok");
    assertThat(result.rejected()).extracting(r -> r.candidate().nodeId() + ": " + r.reason())
        .containsExactly(
            "suspect: node not ALIVE",
            "draining: node draining",
            "sick: runtime unhealthy: GET /metrics: HTTP 503",
            "stale: signals stale: 2500 ms old (bound 2000 ms)",
            "deep: admission: queue 33 > max 32",
            "filling: admission: queue 33 > max 32");
    assertThat(result.rejectedByAdmissionOnly()).isFalse();
  }

  @Test
  void stalePenalizedTargetsStayEligibleAndUnlimitedAdmissionAdmitsAnyQueue() {
    ScoringContext penalize = new ScoringContext(RouteRequest.of("m"), Map.of(),
        Duration.ofSeconds(2), StalePolicy.PENALIZE);
    TargetFilters.Result result = TargetFilters.apply(
        List.of(aged(idle("stale"), Duration.ofSeconds(9)), withQueue("deep", 500)), penalize,
        Admission.UNLIMITED);
    assertThat(result.eligible()).hasSize(2);
  }

  @Test
  void admissionAloneRejectingEverythingIsReported() {
    TargetFilters.Result result = TargetFilters.apply(
        List.of(withQueue("a", 10), withQueue("b", 12)), drop, new Admission(8, 0));
    assertThat(result.eligible()).isEmpty();
    assertThat(result.rejectedByAdmissionOnly()).isTrue();
    assertThat(TargetFilters.apply(List.of(), drop, new Admission(8, 0))
        .rejectedByAdmissionOnly()).isFalse();
  }

  @Test
  void resultsAreImmutableValuesWhoseReasonsAreWrittenOnRead() {
    Candidate ok = idle("ok");
    Candidate draining = state(idle("draining"), true, true, "");
    Candidate deep = withQueue("deep", 40.5);
    TargetFilters.Result result = TargetFilters.apply(List.of(deep, ok, draining), drop,
        new Admission(32, 0));

    assertThat(result).isEqualTo(new TargetFilters.Result(List.of(ok), List.of(
        new Rejection(deep, "admission: queue 40.5 > max 32"),
        new Rejection(draining, "node draining"))));
    assertThat(result.rejected().getFirst()).isSameAs(result.rejected().getFirst());
    assertThatThrownBy(() -> result.eligible().add(ok))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> result.rejected().removeFirst())
        .isInstanceOf(UnsupportedOperationException.class);

    // Lists passed to the public constructor are still copied.
    List<Candidate> mine = new ArrayList<>(List.of(ok));
    TargetFilters.Result built = new TargetFilters.Result(mine, List.of());
    mine.clear();
    assertThat(built.eligible()).containsExactly(ok);
  }
}
