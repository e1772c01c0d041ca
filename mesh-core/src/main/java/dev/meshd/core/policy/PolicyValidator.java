package dev.meshd.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link Policy} before it is written and reports every problem at once, each naming
 * its field. Stateless and thread-safe.
 */
public final class PolicyValidator {

  /** Strategies read a handful of weights; hundreds would be a mistake, not a policy. */
  public static final int MAX_WEIGHTS = 64;

  private PolicyValidator() {}

  /** The problems of {@code policy}; empty when it may be stored. */
  public static List<FieldError> validate(Policy policy) {
    List<FieldError> errors = new ArrayList<>();
    DocumentChecks.checkName("name", policy.name(), errors);
    DocumentChecks.checkNonEmpty(
        "modelSelector", policy.modelSelector(), "a model name or a glob such as llama-*", errors);
    if (!StrategyNames.isKnown(policy.strategy())) {
      errors.add(new FieldError("strategy", "\"" + policy.strategy() + "\" (expected: one of "
          + String.join(", ", StrategyNames.ALL) + ")"));
    }
    DocumentChecks.checkAtMost("weights", policy.weights().size(), MAX_WEIGHTS, errors);
    for (Map.Entry<String, Double> weight : policy.weights().entrySet()) {
      String field = "weights." + weight.getKey();
      if (weight.getKey().isBlank()) {
        errors.add(new FieldError("weights", "empty weight name (expected: a name such as queue)"));
      }
      Double value = weight.getValue();
      if (value == null || !Double.isFinite(value) || value < 0) {
        errors.add(new FieldError(field, value + " (expected: a finite number >= 0)"));
      }
    }
    Admission admission = policy.admission();
    if (admission.maxQueueDepthPerTarget() < 0) {
      errors.add(new FieldError("admission.maxQueueDepthPerTarget",
          admission.maxQueueDepthPerTarget() + " (expected: >= 0, 0 for no limit)"));
    }
    if (admission.maxInFlightPerTenant() < 0) {
      errors.add(new FieldError("admission.maxInFlightPerTenant",
          admission.maxInFlightPerTenant() + " (expected: >= 0, 0 for no limit)"));
    }
    Hedging hedging = policy.hedging();
    if (hedging.delay().isNegative()) {
      errors.add(new FieldError("hedging.delay", hedging.delay() + " (expected: >= 0)"));
    } else if (hedging.enabled() && hedging.delay().isZero()) {
      // A zero delay would double every request: that is replication, not hedging.
      errors.add(new FieldError("hedging.delay", "0s with hedging enabled (expected: > 0)"));
    }
    return List.copyOf(errors);
  }
}
