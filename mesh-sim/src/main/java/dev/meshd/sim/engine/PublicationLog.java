package dev.meshd.sim.engine;

/**
 * One model's publications of one signal type, in the order they were made (so in time order):
 * a growable ring of (time taken, target, publication number) with absolute positions, from which
 * each router reads what was published since it last looked. Entries older than {@code
 * retentionNanos} before the newest are dropped: a router that has not looked for that long
 * rescans its workers instead. Not thread-safe.
 */
final class PublicationLog {

  private final long retentionNanos;
  private long[] taken = new long[64];
  private int[] target = new int[64];
  private int[] number = new int[64];
  /** Position of the oldest entry kept, and one past the newest. */
  private long start;
  private long end;

  PublicationLog(long retentionNanos) {
    this.retentionNanos = retentionNanos;
  }

  void add(long t, int j, int k) {
    while (end > start && taken[index(start)] < t - retentionNanos) {
      start++;
    }
    if (end - start == taken.length) {
      grow();
    }
    int i = index(end++);
    taken[i] = t;
    target[i] = j;
    number[i] = k;
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  long taken(long position) {
    return taken[index(position)];
  }

  int target(long position) {
    return target[index(position)];
  }

  int number(long position) {
    return number[index(position)];
  }

  /** The first position whose entry was taken after {@code t} ({@link #end} if none). */
  long firstAfter(long t) {
    long lo = start;
    long hi = end;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (taken(mid) <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int index(long position) {
    return (int) (position & (taken.length - 1));
  }

  private void grow() {
    int n = taken.length * 2;
    long[] t = new long[n];
    int[] j = new int[n];
    int[] k = new int[n];
    for (long p = start; p < end; p++) {
      int from = index(p);
      int to = (int) (p & (n - 1));
      t[to] = taken[from];
      j[to] = target[from];
      k[to] = number[from];
    }
    taken = t;
    target = j;
    number = k;
  }
}
