package dev.meshd.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code router:} how an agent with role {@code router} follows the fleet's load signals.
 *
 * @param signalHeartbeat the longest gap between two signal batches a router asks of each agent:
 *     an unchanged signal is still confirmed this often, so that a silent sender is told from an
 *     idle one; default {@link #DEFAULT_SIGNAL_HEARTBEAT}
 * @param staleAfter a signal older than this (by the router's own clock: the age the sender
 *     reported plus the time since receipt) is stale and not trusted for routing; default {@link
 *     #DEFAULT_STALE_AFTER}. Always more than {@code signalHeartbeat}, or an idle runtime's signal
 *     would go stale between two heartbeats.
 * @param dropStale true: a target whose signals are stale is not eligible ({@code stale-signals:
 *     drop}); false (default, {@code penalize}): it stays eligible with a lower score, so a
 *     router that loses its signal path still routes
 * @param maxAttempts targets the ingress tries per request (retries before the first byte and
 *     hedges included); default {@link #DEFAULT_MAX_ATTEMPTS}
 * @param drainTimeout on SIGTERM, how long open requests and streams may take to finish; default
 *     {@link #DEFAULT_DRAIN_TIMEOUT}
 */
public record RouterConfig(
    Duration signalHeartbeat,
    Duration staleAfter,
    boolean dropStale,
    int maxAttempts,
    Duration drainTimeout) {

  /**
   * 3: the first choice and two alternates, enough to get past one dead runtime and one
   * overloaded one without multiplying load on a fleet in trouble.
   */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** 30 s: a typical chat completion finishes; SIGTERM never waits longer for open streams. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /** The old two-value form: stale targets penalized, default attempts and drain timeout. */
  public RouterConfig(Duration signalHeartbeat, Duration staleAfter) {
    this(signalHeartbeat, staleAfter, false, DEFAULT_MAX_ATTEMPTS, DEFAULT_DRAIN_TIMEOUT);
  }

  /**
   * 1 s: an idle fleet costs each router one small message per agent per second, and a router
   * notices a sender gone within about two of them.
   */
  public static final Duration DEFAULT_SIGNAL_HEARTBEAT = Duration.ofSeconds(1);

  /**
   * 2 s: two heartbeats, so one late heartbeat does not make an idle runtime stale; four default
   * scrape intervals (500 ms), so a runtime that stops answering is distrusted within seconds.
   */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(2);

  public RouterConfig {
    Objects.requireNonNull(signalHeartbeat, "signalHeartbeat");
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (signalHeartbeat.isNegative() || signalHeartbeat.isZero()) {
      throw new IllegalArgumentException(
          "signalHeartbeat: " + signalHeartbeat + " (expected: > 0)");
    }
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1-10)");
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout: " + drainTimeout + " (expected: >= 0)");
    }
    if (staleAfter.compareTo(signalHeartbeat) <= 0) {
      throw new IllegalArgumentException("staleAfter: " + staleAfter
          + " (expected: more than signalHeartbeat " + signalHeartbeat + ")");
    }
  }

  /** The defaults. */
  public static RouterConfig defaults() {
    return new RouterConfig(DEFAULT_SIGNAL_HEARTBEAT, DEFAULT_STALE_AFTER);
  }
}
