package dev.meshd.sim.engine;

import java.util.Arrays;

/**
 * The pending events of one simulation: a binary min-heap over parallel primitive arrays, so that
 * scheduling and taking an event allocate nothing (the hot path of the simulator runs millions of
 * them per second). An event is a time in nanoseconds, a kind and two int arguments; events at
 * the same time come out in the order they were scheduled, which makes runs reproducible.
 *
 * <p>Not thread-safe: owned by the simulation's thread.
 */
final class EventQueue {

  private long[] time;
  private long[] order;
  private int[] kind;
  private int[] a;
  private int[] b;
  private int size;
  private long scheduled;

  // What poll() took, read through the accessors below until the next poll.
  private long polledTime;
  private int polledKind;
  private int polledA;
  private int polledB;

  EventQueue(int initialCapacity) {
    int n = Math.max(16, initialCapacity);
    time = new long[n];
    order = new long[n];
    kind = new int[n];
    a = new int[n];
    b = new int[n];
  }

  int size() {
    return size;
  }

  /** Drops every pending event. */
  void clear() {
    size = 0;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest pending time; {@link Long#MAX_VALUE} when empty. */
  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : time[0];
  }

  void schedule(long atNanos, int eventKind, int argA, int argB) {
    if (size == time.length) {
      grow();
    }
    long seq = scheduled++;
    int i = size++;
    // Sift up: move parents down until the new event's place is found.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(atNanos, seq, time[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, atNanos, seq, eventKind, argA, argB);
  }

  /**
   * Takes the earliest event; read it with {@link #time()}, {@link #kind()}, {@link #a()} and
   * {@link #b()}.
   */
  void poll() {
    if (size == 0) {
      throw new IllegalStateException("poll on an empty queue");
    }
    polledTime = time[0];
    polledKind = kind[0];
    polledA = a[0];
    polledB = b[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = time[last];
    long s = order[last];
    int k = kind[last];
    int x = a[last];
    int y = b[last];
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && before(time[right], order[right], time[child], order[child])) {
        child = right;
      }
      if (!before(time[child], order[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, k, x, y);
  }

  long time() {
    return polledTime;
  }

  int kind() {
    return polledKind;
  }

  int a() {
    return polledA;
  }

  int b() {
    return polledB;
  }

  private static boolean before(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    time[to] = time[from];
    order[to] = order[from];
    kind[to] = kind[from];
    a[to] = a[from];
    b[to] = b[from];
  }

  private void set(int i, long t, long s, int k, int x, int y) {
    time[i] = t;
    order[i] = s;
    kind[i] = k;
    a[i] = x;
    b[i] = y;
  }

  private void grow() {
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    order = Arrays.copyOf(order, n);
    kind = Arrays.copyOf(kind, n);
    a = Arrays.copyOf(a, n);
    b = Arrays.copyOf(b, n);
  }
}
