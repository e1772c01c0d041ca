package dev.meshd.sim.engine;

import dev.meshd.router.CandidateColumns;

/**
 * One cell's router's view of one model's workers, as the production router keeps it: columns
 * derived from the model's {@link ModelTargets} with the load figures this router has received,
 * rebuilt no more often than the router's rebuild interval and only when a newer signal has
 * reached it (the router's {@code CandidateTables} does the same), with the requests this router
 * sent since each target's signal counted in place between rebuilds.
 *
 * <p>Signals are not pushed to it: at a rebuild it asks the {@link SignalBoard} for each worker's
 * newest publication that has reached this cell by then, which is what it would show had it
 * taken every delivery as it came. Keeps per worker only the publications it shows. Not
 * thread-safe: owned by the simulation's thread.
 */
final class RouterView {

  private final ModelTargets targets;
  private final SignalBoard board;
  private final int cell;
  private final long rebuildNanos;
  private final int[] shownRuntime;
  private final int[] shownGpu;
  private final DispatchLog dispatches = new DispatchLog();
  private CandidateColumns current;

  RouterView(ModelTargets targets, SignalBoard board, int cell, long rebuildNanos) {
    this.targets = targets;
    this.board = board;
    this.cell = cell;
    this.rebuildNanos = rebuildNanos;
    // At the start every router knows every idle worker: publication 0, at time 0.
    shownRuntime = new int[targets.size()];
    shownGpu = new int[targets.size()];
  }

  /**
   * The columns to decide on at {@code now}: rebuilt when the rebuild interval has passed and a
   * newer signal has arrived since the last build.
   */
  CandidateColumns columns(long now) {
    if (current != null && now - current.builtAtNanos() < rebuildNanos) {
      return current;
    }
    if (resolve(now) || current == null) {
      current = build(now);
    }
    return current;
  }

  /** Moves each worker to the newest publication that has reached this router; any newer? */
  private boolean resolve(long now) {
    int[] workers = targets.workers;
    boolean changed = false;
    for (int j = 0; j < workers.length; j++) {
      int w = workers[j];
      int r = board.latestRuntime(w, cell, shownRuntime[j], now);
      int g = board.latestGpu(w, cell, shownGpu[j], now);
      if (r != shownRuntime[j] || g != shownGpu[j]) {
        shownRuntime[j] = r;
        shownGpu[j] = g;
        changed = true;
      }
    }
    return changed;
  }

  private CandidateColumns build(long now) {
    int[] workers = targets.workers;
    long[] since = targets.since;
    int[] routed = targets.routed;
    long oldest = Long.MAX_VALUE;
    for (int j = 0; j < workers.length; j++) {
      // Publication 0 is what every router knows before the run: a request sent at time 0 is
      // after it, though it is "taken" at 0.
      since[j] = shownRuntime[j] == 0 ? -1
          : board.runtimeTaken[board.runtimeSlot(workers[j], shownRuntime[j])];
      oldest = Math.min(oldest, since[j]);
      routed[j] = 0;
    }
    dispatches.countAfter(since, oldest, routed);
    CandidateColumns.Figures figures = targets.figures;
    for (int j = 0; j < workers.length; j++) {
      int rs = board.runtimeSlot(workers[j], shownRuntime[j]);
      int gs = board.gpuSlot(workers[j], shownGpu[j]);
      figures.set(j, board.queue[rs], board.running[rs], board.kvUsage[rs], board.vramFree[gs],
          board.utilization[gs], board.runtimeTaken[rs], routed[j]);
    }
    return targets.template.withFigures(figures, now);
  }

  /** This router sent a request to target {@code j} at {@code now}. */
  void dispatched(int j, long now) {
    dispatches.add(now, j);
    if (current != null) {
      current.addRouted(targets.keys[j]); // the production ledger's listener does the same
    }
  }
}
