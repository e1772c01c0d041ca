package dev.meshd.sim.engine;

/**
 * One router's dispatches to one model's targets, in time order: a growable ring of (time,
 * target) from which the requests sent to a target since its signal was taken are counted again
 * when a newer signal of it reaches the router. Entries older than {@code retentionNanos} before
 * the newest are dropped: every target's shown signal is newer than that (the caller sizes it so),
 * and a count that would need a dropped entry fails loudly instead of undercounting. Not
 * thread-safe.
 */
final class DispatchLog {

  private final long retentionNanos;
  private long[] time = new long[16];
  private int[] target = new int[16];
  private int head;
  private int size;
  /** The newest time dropped. */
  private long horizon = Long.MIN_VALUE;

  DispatchLog(long retentionNanos) {
    this.retentionNanos = retentionNanos;
  }

  void add(long t, int j) {
    while (size > 0 && time[head] < t - retentionNanos) {
      horizon = time[head];
      head = (head + 1) & (time.length - 1);
      size--;
    }
    if (size == time.length) {
      grow();
    }
    int i = (head + size++) & (time.length - 1);
    time[i] = t;
    target[i] = j;
  }

  /**
   * Adds to {@code routed[j]}, for every target j with {@code (flags[j] & bit) != 0}, the
   * dispatches to it after {@code since[j]}; {@code oldest} is the smallest of those times.
   */
  void countAfter(long[] since, long oldest, int[] routed, byte[] flags, int bit) {
    if (oldest < horizon) {
      throw new IllegalStateException("dispatches after " + oldest + " ns were dropped (up to "
          + horizon + " ns): the log's retention is too short");
    }
    int mask = time.length - 1;
    for (int n = size - 1; n >= 0; n--) {
      int i = (head + n) & mask;
      long t = time[i];
      if (t <= oldest) {
        return;
      }
      int j = target[i];
      if ((flags[j] & bit) != 0 && t > since[j]) {
        routed[j]++;
      }
    }
  }

  private void grow() {
    int n = time.length * 2;
    long[] t = new long[n];
    int[] j = new int[n];
    for (int k = 0; k < size; k++) {
      int i = (head + k) & (time.length - 1);
      t[k] = time[i];
      j[k] = target[i];
    }
    time = t;
    target = j;
    head = 0;
  }
}
