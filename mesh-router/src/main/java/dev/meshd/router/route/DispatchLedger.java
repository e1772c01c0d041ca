package dev.meshd.router.route;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers when this router sent requests to each target, so that a candidate's queue can be
 * corrected for what its last load signal could not show yet: the requests sent after the signal
 * was observed. Bounded: the most recent {@value #PER_TARGET} sends per target.
 *
 * <p>Thread-safe. Time comes from an injected monotonic nanosecond source.
 */
public final class DispatchLedger {

  static final int PER_TARGET = 256;

  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Sends> byTarget = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong dispatches =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.List<java.util.function.Consumer<String>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public DispatchLedger(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  public static DispatchLedger system() {
    return new DispatchLedger(System::nanoTime);
  }

  /** Notes one request sent to {@code targetKey} now. */
  public void recordDispatch(String targetKey) {
    byTarget.computeIfAbsent(targetKey, k -> new Sends()).add(nanoTime.getAsLong());
    dispatches.incrementAndGet();
    for (java.util.function.Consumer<String> listener : listeners) {
      listener.accept(targetKey);
    }
  }

  /** How many dispatches were recorded so far: a reader that copied counts can tell it raced. */
  public long dispatches() {
    return dispatches.get();
  }

  /**
   * Calls {@code listener} with the target key after each dispatch is recorded, on the
   * recording thread. The listener must not block.
   */
  public void onDispatch(java.util.function.Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Requests sent to {@code targetKey} within the last {@code window}. */
  public int sentWithin(String targetKey, Duration window) {
    Sends sends = byTarget.get(targetKey);
    if (sends == null) {
      return 0;
    }
    long windowNanos = window.isNegative() ? 0 : saturatedNanos(window);
    return sends.countAfter(nanoTime.getAsLong() - windowNanos);
  }

  /** Forgets targets that no longer exist. */
  public void retainOnly(java.util.Set<String> targetKeys) {
    byTarget.keySet().retainAll(targetKeys);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** A ring of send times; guarded by its own monitor (contention is per target only). */
  private static final class Sends {
    private final long[] times = new long[PER_TARGET];
    private int next;
    private int size;

    synchronized void add(long t) {
      times[next] = t;
      next = (next + 1) % PER_TARGET;
      size = Math.min(size + 1, PER_TARGET);
    }

    synchronized int countAfter(long since) {
      int count = 0;
      for (int i = 1; i <= size; i++) {
        long t = times[(next - i + PER_TARGET) % PER_TARGET];
        if (t - since <= 0) {
          break;
        }
        count++;
      }
      return count;
    }
  }
}
