package dev.meshd.core.signal;

import java.time.Duration;
import java.util.Objects;

/**
 * A GPU reading as a receiver holds it, with its age by the receiver's own clock: the age the
 * sender reported plus the time since it arrived, as for {@link AgedSignal}.
 *
 * @param signal the GPU's latest reading
 * @param age how old the reading is now, never negative
 */
public record AgedGpuSignal(GpuSignal signal, Duration age) {

  public AgedGpuSignal {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age: " + age + " (expected: >= 0)");
    }
  }

  /**
   * True when the reading is more than {@code staleAfter} ({@code router.stale-after}) past the
   * time the sender's next reading was due (its {@link GpuSignal#refreshInterval} after this
   * one): the rule of {@link AgedSignal#isStale}, counted from when a fresher reading should
   * have existed. GPUs are read every few seconds, runtimes every few hundred milliseconds, so
   * counting from the reading itself would distrust most of a healthy sender's GPU readings.
   */
  public boolean isStale(Duration staleAfter) {
    return freshFor(staleAfter).isNegative();
  }

  /**
   * How much longer the reading stays fresh under {@code staleAfter}; negative once it is
   * stale, {@link Duration#ZERO} at the last fresh instant.
   */
  public Duration freshFor(Duration staleAfter) {
    return staleAfter.plus(signal.refreshInterval()).minus(age);
  }
}
