package dev.meshd.cli.policy;

import dev.meshd.cli.output.DurationText;
import dev.meshd.proto.v1.Policy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a policy's fields read in a table cell; shared by {@code policy list} and
 * {@code policy get} so both show a policy the same way. Stateless.
 */
final class PolicyCells {

  private PolicyCells() {}

  /** An admission limit: the number, or {@code -} for 0, which the contract defines as none. */
  static String limit(int value) {
    return value == 0 ? "-" : Integer.toString(value);
  }

  /** {@code 250ms} when hedging is on (its delay), {@code off} otherwise. */
  static String hedge(Policy policy) {
    if (!policy.getHedging().getEnabled()) {
      return "off";
    }
    com.google.protobuf.Duration delay = policy.getHedging().getDelay();
    return DurationText.format(Duration.ofSeconds(delay.getSeconds(), delay.getNanos()));
  }

  /** {@code kv_headroom=0.4}, one per weight, sorted by term name. */
  static List<String> weights(Policy policy) {
    return policy.getWeightsMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(weight -> weight.getKey() + "=" + number(weight.getValue()))
        .toList();
  }

  static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }

  /** {@code 0.6} rather than {@code 0.6000000000000001}-style noise or a forced {@code 1.0}. */
  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
