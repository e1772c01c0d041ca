package dev.meshd.sim.engine;

import java.util.Arrays;

/**
 * The pending events of one simulation: a binary min-heap over parallel primitive arrays, so that
 * scheduling and taking an event allocate nothing (the hot path of the simulator runs millions of
 * them per second). An event is a time in nanoseconds, a kind (0-255) and two int arguments;
 * events at the same time come out in the order they were scheduled, which makes runs
 * reproducible. Three arrays, not five: the scheduling order and the kind share one long (order
 * in the high bits, so it still breaks ties), the two arguments another, so that moving an entry
 * touches three cache lines.
 *
 * <p>Not thread-safe: owned by the simulation's thread.
 */
final class EventQueue {

  private static final int KIND_BITS = 8;

  private long[] time;
  /** Scheduling order << KIND_BITS | kind. */
  private long[] orderKind;
  /** a << 32 | b (unsigned). */
  private long[] args;
  private int size;
  private long scheduled;

  // What poll() took, read through the accessors below until the next poll.
  private long polledTime;
  private long polledOrderKind;
  private long polledArgs;

  EventQueue(int initialCapacity) {
    int n = Math.max(16, initialCapacity);
    time = new long[n];
    orderKind = new long[n];
    args = new long[n];
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
    long key = (scheduled++ << KIND_BITS) | (eventKind & 0xFF);
    long packed = ((long) argA << 32) | (argB & 0xFFFF_FFFFL);
    int i = size++;
    // Sift up: move parents down until the new event's place is found.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long tp = time[parent];
      if (tp < atNanos || (tp == atNanos && orderKind[parent] < key)) {
        break;
      }
      time[i] = tp;
      orderKind[i] = orderKind[parent];
      args[i] = args[parent];
      i = parent;
    }
    time[i] = atNanos;
    orderKind[i] = key;
    args[i] = packed;
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
    polledOrderKind = orderKind[0];
    polledArgs = args[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = time[last];
    long k = orderKind[last];
    long x = args[last];
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      long tc = time[child];
      if (right < last) {
        long tr = time[right];
        if (tr < tc || (tr == tc && orderKind[right] < orderKind[child])) {
          child = right;
          tc = tr;
        }
      }
      if (t < tc || (t == tc && k < orderKind[child])) {
        break;
      }
      time[i] = tc;
      orderKind[i] = orderKind[child];
      args[i] = args[child];
      i = child;
    }
    time[i] = t;
    orderKind[i] = k;
    args[i] = x;
  }

  long time() {
    return polledTime;
  }

  int kind() {
    return (int) (polledOrderKind & 0xFF);
  }

  int a() {
    return (int) (polledArgs >>> 32);
  }

  int b() {
    return (int) polledArgs;
  }

  private void grow() {
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    orderKind = Arrays.copyOf(orderKind, n);
    args = Arrays.copyOf(args, n);
  }
}
