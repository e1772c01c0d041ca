package dev.meshd.sim.engine;

/**
 * When each worker next needs the simulation's attention (its running prefill ends or its next
 * decode completes): an indexed binary min-heap with one entry per worker whose time is moved in
 * place when the worker's batch changes, instead of scheduling a new event and leaving the old
 * one to be skipped. Ties go to the lower worker index, so runs are reproducible.
 *
 * <p>Not thread-safe: owned by the simulation's thread.
 */
final class WorkerTimers {

  static final long NONE = Long.MAX_VALUE;

  private final long[] due;
  private final int[] heap;
  private final int[] position;
  private int size;

  WorkerTimers(int workers) {
    due = new long[workers];
    heap = new int[workers];
    position = new int[workers];
    java.util.Arrays.fill(position, -1);
    java.util.Arrays.fill(due, NONE);
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekTime() {
    return size == 0 ? NONE : due[heap[0]];
  }

  int peekWorker() {
    return heap[0];
  }

  long due(int worker) {
    return due[worker];
  }

  /** Sets (or with {@link #NONE} clears) the worker's next time. */
  void set(int worker, long atNanos) {
    int p = position[worker];
    if (atNanos == NONE) {
      if (p >= 0) {
        remove(p);
      }
      due[worker] = NONE;
      return;
    }
    long old = due[worker];
    due[worker] = atNanos;
    if (p < 0) {
      p = size++;
      heap[p] = worker;
      position[worker] = p;
      up(p);
    } else if (atNanos < old) {
      up(p);
    } else if (atNanos > old) {
      down(p);
    }
  }

  private void remove(int p) {
    int worker = heap[p];
    int last = --size;
    position[worker] = -1;
    if (p != last) {
      int moved = heap[last];
      heap[p] = moved;
      position[moved] = p;
      up(p);
      down(position[moved]);
    }
  }

  private boolean less(int x, int y) {
    return due[x] < due[y] || (due[x] == due[y] && x < y);
  }

  private void up(int p) {
    int w = heap[p];
    while (p > 0) {
      int parent = (p - 1) >>> 1;
      if (!less(w, heap[parent])) {
        break;
      }
      heap[p] = heap[parent];
      position[heap[p]] = p;
      p = parent;
    }
    heap[p] = w;
    position[w] = p;
  }

  private void down(int p) {
    int w = heap[p];
    int half = size >>> 1;
    while (p < half) {
      int child = 2 * p + 1;
      if (child + 1 < size && less(heap[child + 1], heap[child])) {
        child++;
      }
      if (!less(heap[child], w)) {
        break;
      }
      heap[p] = heap[child];
      position[heap[p]] = p;
      p = child;
    }
    heap[p] = w;
    position[w] = p;
  }
}
