package dev.meshd.sim.engine;

import java.util.Arrays;

/** A growable FIFO ring of ints (attempt ids), allocation-free once grown. Not thread-safe. */
final class IntQueue {

  private int[] items = new int[8];
  private int head;
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void add(int x) {
    if (size == items.length) {
      int[] grown = new int[items.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) & (items.length - 1)];
      }
      items = grown;
      head = 0;
    }
    items[(head + size++) & (items.length - 1)] = x;
  }

  int peek() {
    return items[head];
  }

  int poll() {
    int x = items[head];
    head = (head + 1) & (items.length - 1);
    size--;
    return x;
  }

  void clear() {
    head = 0;
    size = 0;
    Arrays.fill(items, 0);
  }
}
