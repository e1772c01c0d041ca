package dev.meshd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  private static Policy valid() {
    return new Policy("llama", "llama-*", StrategyNames.HYBRID, Map.of("queue", 0.6, "fabric", 0.4),
        new Admission(32, 8), new Hedging(true, Duration.ofMillis(250)), 0);
  }

  private static List<String> fields(Policy policy) {
    return PolicyValidator.validate(policy).stream().map(FieldError::field).toList();
  }

  @Test
  void acceptsAValidPolicyAndOneWithoutOptionalSections() {
    assertThat(PolicyValidator.validate(valid())).isEmpty();
    assertThat(PolicyValidator.validate(Policy.of("p", "llama-3.1-8b", "least_queue"))).isEmpty();
  }

  @Test
  void everyRegisteredStrategyIsAccepted() {
    for (String strategy : StrategyNames.ALL) {
      assertThat(PolicyValidator.validate(Policy.of("p", "m", strategy))).isEmpty();
    }
    assertThat(StrategyNames.ALL).containsExactly("round_robin", "least_queue", "power_of_two",
        "heuristic", "fabric_aware", "hybrid");
  }

  @Test
  void reportsEveryProblemAtOnceNamingTheField() {
    Map<String, Double> weights = new HashMap<>();
    weights.put("queue", -1.0);
    weights.put("nan", Double.NaN);
    Policy bad = new Policy("", " ", "fastest", weights, new Admission(-1, -2),
        new Hedging(true, Duration.ofMillis(-5)), 0);

    List<FieldError> errors = PolicyValidator.validate(bad);

    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("name",
        "modelSelector", "strategy", "weights.queue", "weights.nan",
        "admission.maxQueueDepthPerTarget", "admission.maxInFlightPerTenant", "hedging.delay");
    assertThat(errors).extracting(FieldError::toString)
        .contains("admission.maxInFlightPerTenant: -2 (expected: >= 0, 0 for no limit)")
        .anySatisfy(e -> assertThat(e).startsWith("strategy: \"fastest\" (expected: one of "
            + "round_robin, least_queue"));
  }

  @Test
  void rejectsNamesThatCannotBeKeysAndHedgingWithoutDelay() {
    assertThat(fields(Policy.of("a b", "m", "hybrid"))).containsExactly("name");
    assertThat(fields(Policy.of("x".repeat(254), "m", "hybrid"))).containsExactly("name");
    Policy zeroDelay = new Policy("p", "m", "hybrid", null, null,
        new Hedging(true, Duration.ZERO), 0);
    assertThat(fields(zeroDelay)).containsExactly("hedging.delay");
  }

  @Test
  void recordNormalisesAbsentSections() {
    Policy policy = new Policy(null, null, null, null, null, null, 0);

    assertThat(policy.weights()).isEmpty();
    assertThat(policy.admission()).isEqualTo(Admission.UNLIMITED);
    assertThat(policy.hedging()).isEqualTo(Hedging.DISABLED);
    assertThat(policy.withRevision(7).revision()).isEqualTo(7);
  }
}
