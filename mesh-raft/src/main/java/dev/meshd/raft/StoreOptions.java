package dev.meshd.raft;

import java.time.Duration;

/**
 * Client-side settings of a {@link RaftPolicyStore}. Immutable.
 *
 * @param readConsistency how reads are answered
 * @param callTimeout the most any call may take, retries included; past it the call fails with
 *     {@code StoreUnavailableException}
 * @param attemptTimeout the most one attempt (one RPC to one server) may take
 * @param maxAttempts attempts per call, so a call never retries forever (Ratis's default does)
 * @param retrySleep pause between attempts, giving an election time to finish
 */
public record StoreOptions(
    ReadConsistency readConsistency,
    Duration callTimeout,
    Duration attemptTimeout,
    int maxAttempts,
    Duration retrySleep) {

  public StoreOptions {
    if (readConsistency == null) {
      readConsistency = ReadConsistency.LINEARIZABLE;
    }
    requirePositive("callTimeout", callTimeout);
    requirePositive("attemptTimeout", attemptTimeout);
    requirePositive("retrySleep", retrySleep);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
    }
  }

  /**
   * Linearizable reads; 10 s per call: room for an election (1-2 s) plus a few slow attempts,
   * yet short enough for an operator's CLI call to fail visibly rather than hang.
   */
  public static StoreOptions defaults() {
    return new StoreOptions(ReadConsistency.LINEARIZABLE, Duration.ofSeconds(10),
        Duration.ofSeconds(3), 20, Duration.ofMillis(200));
  }

  public StoreOptions withReadConsistency(ReadConsistency consistency) {
    return new StoreOptions(consistency, callTimeout, attemptTimeout, maxAttempts, retrySleep);
  }

  public StoreOptions withCallTimeout(Duration timeout) {
    return new StoreOptions(readConsistency, timeout, attemptTimeout, maxAttempts, retrySleep);
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
