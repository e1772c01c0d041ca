package dev.meshd.router;

import static dev.meshd.router.Candidates.idle;
import static dev.meshd.router.Candidates.withQueue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.policy.Admission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EligibleTargetsTest {

  private final ScoringContext context = new ScoringContext(RouteRequest.of("m"), Map.of(),
      Duration.ofSeconds(2), StalePolicy.PENALIZE);

  @Test
  void eachTargetIsOneInstanceWhetherAskedOneByOneOrAllAtOnce() {
    EligibleTargets eligible = eligible(30);

    List<Candidate> asked = new ArrayList<>();
    for (int j = 0; j < 12; j++) { // past the few kept one by one
      asked.add(eligible.candidate(j));
    }
    List<Candidate> all = eligible.asList();

    assertThat(all).hasSize(30);
    for (int j = 0; j < 12; j++) {
      assertThat(all.get(j)).isSameAs(asked.get(j)).isSameAs(eligible.candidate(j));
    }
    for (int j = 0; j < 30; j++) {
      assertThat(eligible.candidate(j)).isSameAs(all.get(j));
      assertThat(all.get(j).nodeId()).isEqualTo("n" + j);
      assertThat(all.get(j).queueDepth()).isEqualTo(j);
    }
  }

  @Test
  void aPositionOutsideTheEligibleOnesIsRefused() {
    EligibleTargets eligible = eligible(3);
    assertThatThrownBy(() -> eligible.candidate(3)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("eligible target 3 of 3");
  }

  private EligibleTargets eligible(int n) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      candidates.add(i == 0 ? idle("n0") : withQueue("n" + i, i));
    }
    return TargetFilters.eligible(CandidateColumns.of(candidates, 0), context,
        Admission.UNLIMITED, 0);
  }
}
