package dev.meshd.sim.engine;

import java.util.ArrayDeque;

/**
 * Bounds how many targets' columns the routers' views hold at once. At 128 cells x 131,072
 * workers every router's view of every target is 16.7 million entries, about 2 GB of figures and
 * columns; past the bound the view that has held its columns longest gives them up, and rebuilds
 * them from the signal board when it next decides (the same columns, so results do not depend on
 * the bound, only speed and memory). Not thread-safe: owned by the simulation's thread.
 */
final class ColumnsBudget {

  private final long maxEntries;
  private final ArrayDeque<RouterView> holding = new ArrayDeque<>();
  private long entries;

  ColumnsBudget(long maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** A quarter of the heap, at about 110 bytes a target (figures, columns, localities). */
  static ColumnsBudget ofHeap() {
    return new ColumnsBudget(Runtime.getRuntime().maxMemory() / 4 / 110);
  }

  /** {@code view} now holds columns of {@code size} targets. */
  void holds(RouterView view, int size) {
    holding.addLast(view);
    entries += size;
    while (entries > maxEntries && holding.size() > 1) {
      RouterView oldest = holding.pollFirst();
      entries -= oldest.release();
    }
  }
}
