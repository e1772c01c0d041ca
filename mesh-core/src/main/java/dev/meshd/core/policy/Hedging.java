package dev.meshd.core.policy;

import java.time.Duration;

/**
 * Request hedging of a {@link Policy}: after {@code delay} without a first byte, the router sends
 * the same request to the next-best target and keeps whichever answers first.
 *
 * @param enabled false: never hedge
 * @param delay how long to wait before hedging; never null (zero when absent)
 */
public record Hedging(boolean enabled, Duration delay) {

  public static final Hedging DISABLED = new Hedging(false, Duration.ZERO);

  public Hedging {
    delay = delay == null ? Duration.ZERO : delay;
  }
}
