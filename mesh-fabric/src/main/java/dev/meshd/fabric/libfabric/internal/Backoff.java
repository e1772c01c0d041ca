package dev.meshd.fabric.libfabric.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a polling loop waits when a poll found nothing: spin briefly (a completion is usually
 * microseconds away while a transfer runs), then yield, then park for doubling times up to a
 * ceiling. libfabric's {@code tcp;ofi_rxm} progresses only when polled, so a loop cannot block
 * on a wait object instead; the ceiling bounds both its idle CPU use and how late it notices
 * the first message after a quiet spell. Not thread-safe: one per loop.
 */
public final class Backoff {

  private static final int SPINS = 200;
  private static final int YIELDS = 50;
  private static final long MIN_PARK_NANOS = 1_000;

  private final long maxParkNanos;
  private int idleRounds;
  private long parkNanos = MIN_PARK_NANOS;

  /** @param maxParkNanos the longest park; 0 never parks (spin and yield only) */
  public Backoff(long maxParkNanos) {
    if (maxParkNanos < 0) {
      throw new IllegalArgumentException("maxParkNanos: " + maxParkNanos + " (expected: >= 0)");
    }
    this.maxParkNanos = maxParkNanos;
  }

  /** After a poll that did some work: the next idle wait starts from spinning again. */
  public void reset() {
    idleRounds = 0;
    parkNanos = MIN_PARK_NANOS;
  }

  /** After a poll that found nothing. */
  public void idle() {
    idleRounds++;
    if (idleRounds <= SPINS) {
      Thread.onSpinWait();
    } else if (idleRounds <= SPINS + YIELDS || maxParkNanos == 0) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(parkNanos);
      parkNanos = Math.min(parkNanos * 2, maxParkNanos);
    }
  }
}
