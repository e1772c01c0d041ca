package dev.meshd.core.signal;

import java.time.Duration;
import java.util.Objects;

/**
 * A runtime signal as a receiver holds it, with its age by the receiver's own clock: the age the
 * sender reported when it sent the signal plus the time since it arrived. Wall clocks of
 * different hosts are never compared.
 *
 * @param signal the runtime's latest observation
 * @param age how old the observation is now, never negative
 */
public record AgedSignal(RuntimeSignal signal, Duration age) {

  public AgedSignal {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age: " + age + " (expected: >= 0)");
    }
  }

  /**
   * True when the signal is older than {@code staleAfter} ({@code router.stale-after}): too old
   * to route on; its sender or its runtime has gone quiet.
   */
  public boolean isStale(Duration staleAfter) {
    return age.compareTo(staleAfter) > 0;
  }
}
