package dev.meshd.router.route;

import dev.meshd.router.StalePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How a router treats load signals: those older than {@code staleAfter} are stale, and stale
 * targets are dropped or penalized.
 */
public record RouterSettings(Duration staleAfter, StalePolicy stalePolicy) {

  /**
   * Two seconds: four scrape intervals at the default 500 ms, long enough that one lost scrape
   * or a heartbeat in flight does not flap a target, short enough that a dead runtime stops
   * getting requests quickly. Penalize rather than drop, so that a router that loses its signal
   * path still routes (on stale data) instead of failing every request.
   */
  public static final RouterSettings DEFAULTS =
      new RouterSettings(Duration.ofSeconds(2), StalePolicy.PENALIZE);

  public RouterSettings {
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(stalePolicy, "stalePolicy");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("staleAfter: " + staleAfter + " (expected: > 0)");
    }
  }
}
