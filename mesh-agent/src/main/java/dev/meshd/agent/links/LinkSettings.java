package dev.meshd.agent.links;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * When links are negotiated again.
 *
 * @param reprobeInterval an UP or DEGRADED link is negotiated again about this long after its
 *     last try (spread by {@link #REPROBE_SPREAD} per link), so a link that silently got slower
 *     (or a faster transport that came back) is found
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

  /**
   * Each link's re-probes are spread over {@code reprobeInterval} ± this share of it, so that
   * links negotiated together (a placement written at once, a fleet brought up together) do not
   * all move their probe payloads again in the same minute, every five minutes.
   */
  static final double REPROBE_SPREAD = 0.1;

  /**
   * The wait before re-probing a link last tried at {@code lastAttemptMillis}: {@code
   * reprobeInterval} moved by up to {@link #REPROBE_SPREAD} of it, by an amount drawn from the
   * link's label and that time. Deterministic (the planner stays pure) and different per link
   * and per round.
   */
  Duration reprobeAfter(String linkLabel, long lastAttemptMillis) {
    long seed = linkLabel.hashCode() * 0x9E3779B97F4A7C15L ^ lastAttemptMillis;
    double shift = (2 * new SplittableRandom(seed).nextDouble() - 1) * REPROBE_SPREAD;
    return Duration.ofNanos(Math.round(reprobeInterval.toNanos() * (1 + shift)));
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
