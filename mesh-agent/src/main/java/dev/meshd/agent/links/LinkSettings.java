package dev.meshd.agent.links;

import java.time.Duration;
import java.util.Objects;

/**
 * When links are negotiated again.
 *
 * @param reprobeInterval an UP or DEGRADED link is negotiated again this long after its last
 *     try, so a link that silently got slower (or a faster transport that came back) is found
 * @param retryInitial a FAILED link is tried again after this, doubling with each failure
 * @param retryMax the longest wait between tries of a FAILED link
 * @param negotiationTimeout a negotiation that takes longer is counted as failed
 */
public record LinkSettings(Duration reprobeInterval, Duration retryInitial, Duration retryMax,
    Duration negotiationTimeout) {

  public LinkSettings {
    Objects.requireNonNull(reprobeInterval, "reprobeInterval");
    Objects.requireNonNull(retryInitial, "retryInitial");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(negotiationTimeout, "negotiationTimeout");
  }

  /**
   * Re-probe every 5 minutes (a probe moves tens of MiB: cheap at that rate, and a degraded link
   * is found within minutes); retry failures after 15 s, doubling to 5 minutes (a peer that is
   * restarting is back within seconds; one that stays broken should not be hammered); give a
   * negotiation 30 s (every transport's deadline in turn).
   */
  public static LinkSettings defaults() {
    return new LinkSettings(Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  /** How long to wait after {@code failures} failed tries in a row (at least one). */
  Duration retryAfter(int failures) {
    Duration wait = retryInitial;
    for (int i = 1; i < failures && wait.compareTo(retryMax) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(retryMax) > 0 ? retryMax : wait;
  }
}
