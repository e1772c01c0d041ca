package dev.meshd.fakeruntime;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the fake runtime injects, for end-to-end tests of the router. Test and demo only.
 * Immutable.
 *
 * @param failRate fraction (0..1) of completion requests answered HTTP 500 before any other byte
 * @param failAfterTokens close the connection abruptly after this many streamed tokens; negative:
 *     never
 * @param stall delay before the first byte of every completion response
 */
public record Faults(double failRate, int failAfterTokens, Duration stall) {

  /** No faults. */
  public static final Faults NONE = new Faults(0, -1, Duration.ZERO);

  public Faults {
    if (!(failRate >= 0 && failRate <= 1)) {
      throw new IllegalArgumentException("failRate: " + failRate + " (expected: 0..1)");
    }
    Objects.requireNonNull(stall, "stall");
    if (stall.isNegative()) {
      throw new IllegalArgumentException("stall: " + stall + " (expected: >= 0)");
    }
    failAfterTokens = Math.max(-1, failAfterTokens);
  }

  public Faults withFailRate(double rate) {
    return new Faults(rate, failAfterTokens, stall);
  }

  public Faults withFailAfterTokens(int tokens) {
    return new Faults(failRate, tokens, stall);
  }

  public Faults withStall(Duration delay) {
    return new Faults(failRate, failAfterTokens, delay);
  }

  /** Whether streams are cut after {@link #failAfterTokens()} tokens. */
  public boolean closesMidStream() {
    return failAfterTokens >= 0;
  }
}
