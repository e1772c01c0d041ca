package dev.meshd.sim.engine;

/**
 * One router's dispatches to one model's targets, in time order: a growable ring of (time,
 * target) from which the requests sent to each target since its signal was taken are counted
 * when the router rebuilds its columns. Entries no target's signal can be older than again are
 * dropped. Not thread-safe.
 */
final class DispatchLog {

  private long[] time = new long[16];
  private int[] target = new int[16];
  private int head;
  private int size;

  void add(long t, int j) {
    if (size == time.length) {
      grow();
    }
    int i = (head + size++) & (time.length - 1);
    time[i] = t;
    target[i] = j;
  }

  /**
   * Adds to {@code routed[j]} the dispatches to target j after {@code since[j]}, for every target,
   * then forgets those at or before {@code oldest} (no signal will be older than it again:
   * a router's signals only get newer).
   */
  void countAfter(long[] since, long oldest, int[] routed) {
    int mask = time.length - 1;
    for (int n = size - 1; n >= 0; n--) {
      int i = (head + n) & mask;
      long t = time[i];
      if (t <= oldest) {
        head = (i + 1) & mask;
        size -= n + 1;
        return;
      }
      int j = target[i];
      if (t > since[j]) {
        routed[j]++;
      }
    }
  }

  int size() {
    return size;
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
