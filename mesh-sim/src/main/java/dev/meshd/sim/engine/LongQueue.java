package dev.meshd.sim.engine;

/**
 * A growable FIFO ring of ascending times: a router's dispatches to one target, trimmed to those
 * after the target's latest signal. Not thread-safe.
 */
final class LongQueue {

  private long[] items = new long[4];
  private int head;
  private int size;

  void add(long t) {
    if (size == items.length) {
      long[] grown = new long[items.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) & (items.length - 1)];
      }
      items = grown;
      head = 0;
    }
    items[(head + size++) & (items.length - 1)] = t;
  }

  /** Drops the times at or before {@code t}; how many are after it. */
  int trimAtOrBefore(long t) {
    while (size > 0 && items[head] <= t) {
      head = (head + 1) & (items.length - 1);
      size--;
    }
    return size;
  }
}
