package dev.meshd.sim.engine;

import dev.meshd.router.CandidateColumns;
import java.util.Arrays;

/**
 * One cell's router's view of one model's workers, as the production router keeps it: columns
 * derived from the model's {@link ModelTargets} with the load figures this router has received,
 * rebuilt no more often than the router's rebuild interval and only when a newer signal has
 * reached it (the router's {@code CandidateTables} does the same), with the requests this router
 * sent since each target's signal counted in place between rebuilds.
 *
 * <p>Signals are not pushed to it: when it may rebuild, it reads what its model's workers
 * published since it last looked ({@link PublicationLog}) and when each publication reaches this
 * cell ({@link SignalBoard}); those still on their way wait in a small queue of its own. What it
 * then shows is what it would show had it taken every delivery as it came, an older publication
 * arriving after a newer one being ignored. A view that has not looked for longer than the logs
 * keep, or would read more entries than it has workers, asks the board for each worker's newest
 * arrived publication instead. Only the targets whose figures changed are written again before a
 * rebuild. Under a {@link ColumnsBudget} a view may give up its figures and columns between
 * decisions; it then writes every target again from the board when it next decides, the same
 * columns it would have kept (same figures, routed counts and build time). Not thread-safe:
 * owned by the simulation's thread.
 */
final class RouterView {

  private static final int RUNTIME = 0;
  private static final int GPU = 1;
  /** Flags of a target: its routed count must be recounted, its figures written again. */
  private static final int RECOUNT = 1;
  private static final int REFRESH = 2;

  private final ModelTargets targets;
  private final SignalBoard board;
  private final int cell;
  private final long rebuildNanos;
  private final int[] shownRuntime;
  private final int[] shownGpu;
  private final int[] routed;
  private final byte[] flags;
  private int[] refresh = new int[16];
  private int refreshCount;
  private final ColumnsBudget budget;
  /** Null while released. */
  private CandidateColumns.Figures figures;
  private final EventQueue inFlight = new EventQueue(16);
  private final DispatchLog dispatches;
  private long runtimeCursor;
  private long gpuCursor;
  /** The columns of the last build; null before it and while released. */
  private CandidateColumns current;
  private boolean built;
  private long builtAt;

  RouterView(ModelTargets targets, SignalBoard board, int cell, long rebuildNanos,
      long dispatchRetentionNanos, ColumnsBudget budget) {
    this.targets = targets;
    this.board = board;
    this.cell = cell;
    this.rebuildNanos = rebuildNanos;
    int n = targets.size();
    // At the start every router knows every idle worker: publication 0, at time 0.
    shownRuntime = new int[n];
    shownGpu = new int[n];
    routed = new int[n];
    flags = new byte[n];
    this.budget = budget;
    dispatches = new DispatchLog(dispatchRetentionNanos);
  }

  /**
   * The columns to decide on at {@code now}: rebuilt when the rebuild interval has passed and a
   * newer signal has arrived since the last build.
   */
  CandidateColumns columns(long now) {
    if (built && now - builtAt < rebuildNanos) {
      return current != null ? current : build(builtAt);
    }
    if (resolve(now) || !built) {
      return build(now);
    }
    return current != null ? current : build(builtAt);
  }

  /** Gives up the figures and columns; how many targets they held. */
  int release() {
    targets.spareFigures.add(figures);
    figures = null;
    current = null;
    return targets.size();
  }

  /** Brings each worker to its newest publication that has reached this router; any newer? */
  private boolean resolve(long now) {
    PublicationLog runtime = targets.runtimeLog;
    PublicationLog gpu = targets.gpuLog;
    long backlog = runtime.end() - runtimeCursor + gpu.end() - gpuCursor;
    if (!built || backlog > targets.size() || runtimeCursor < runtime.start()
        || gpuCursor < gpu.start()) {
      return rescan(now);
    }
    boolean changed = false;
    while (inFlight.peekTime() <= now) {
      inFlight.poll();
      changed |= apply(inFlight.kind(), inFlight.a(), inFlight.b());
    }
    changed |= read(runtime, RUNTIME, runtimeCursor, now);
    changed |= read(gpu, GPU, gpuCursor, now);
    runtimeCursor = runtime.end();
    gpuCursor = gpu.end();
    return changed;
  }

  /** Asks the board for every worker; then follows the logs from what may still be on its way. */
  private boolean rescan(long now) {
    int[] workers = targets.workers;
    boolean changed = false;
    for (int j = 0; j < workers.length; j++) {
      int w = workers[j];
      int r = board.latestRuntime(w, cell, shownRuntime[j], now);
      int g = board.latestGpu(w, cell, shownGpu[j], now);
      if (r != shownRuntime[j]) {
        shownRuntime[j] = r;
        mark(j, RECOUNT | REFRESH);
        changed = true;
      }
      if (g != shownGpu[j]) {
        shownGpu[j] = g;
        mark(j, REFRESH);
        changed = true;
      }
    }
    inFlight.clear();
    PublicationLog runtime = targets.runtimeLog;
    PublicationLog gpu = targets.gpuLog;
    // Older entries have reached every router: the scan has seen them.
    runtimeCursor = runtime.firstAfter(now - board.runtime.maxDelay());
    gpuCursor = gpu.firstAfter(now - board.gpu.maxDelay());
    read(runtime, RUNTIME, runtimeCursor, now);
    read(gpu, GPU, gpuCursor, now);
    runtimeCursor = runtime.end();
    gpuCursor = gpu.end();
    return changed;
  }

  /** Applies the log's entries from {@code from} that have arrived; queues the others. */
  private boolean read(PublicationLog log, int type, long from, long now) {
    boolean changed = false;
    int[] workers = targets.workers;
    for (long p = from; p < log.end(); p++) {
      int j = log.target(p);
      int k = log.number(p);
      long t = log.taken(p);
      long at = type == RUNTIME ? board.runtimeArrival(workers[j], k, cell, t, now)
          : board.gpuArrival(workers[j], k, cell, t, now);
      if (at <= now) {
        changed |= apply(type, j, k);
      } else {
        inFlight.schedule(at, type, j, k);
      }
    }
    return changed;
  }

  private boolean apply(int type, int j, int k) {
    int[] shown = type == RUNTIME ? shownRuntime : shownGpu;
    if (k <= shown[j]) {
      return false; // older than what the router shows: ignored, as a late delivery is
    }
    shown[j] = k;
    mark(j, type == RUNTIME ? RECOUNT | REFRESH : REFRESH);
    return true;
  }

  private void mark(int j, int bits) {
    if (flags[j] == 0) {
      if (refreshCount == refresh.length) {
        refresh = Arrays.copyOf(refresh, refresh.length * 2);
      }
      refresh[refreshCount++] = j;
    }
    flags[j] |= (byte) bits;
  }

  /** Columns as of {@code at}: now, or the last build's time when they are rebuilt as they were. */
  private CandidateColumns build(long at) {
    boolean held = figures != null;
    if (!held) {
      figures = targets.spareFigures.isEmpty() ? new CandidateColumns.Figures(targets.size())
          : targets.spareFigures.pop();
      for (int j = 0; j < targets.size(); j++) {
        mark(j, REFRESH); // every target is written again
      }
    }
    int[] workers = targets.workers;
    long[] since = targets.since;
    long oldest = Long.MAX_VALUE;
    for (int i = 0; i < refreshCount; i++) {
      int j = refresh[i];
      if ((flags[j] & RECOUNT) != 0) {
        since[j] = board.runtimeTaken[board.runtimeSlot(workers[j], shownRuntime[j])];
        oldest = Math.min(oldest, since[j]);
        routed[j] = 0;
      }
    }
    if (oldest != Long.MAX_VALUE) {
      dispatches.countAfter(since, oldest, routed, flags, RECOUNT);
    }
    for (int i = 0; i < refreshCount; i++) {
      int j = refresh[i];
      int rs = board.runtimeSlot(workers[j], shownRuntime[j]);
      int gs = board.gpuSlot(workers[j], shownGpu[j]);
      figures.set(j, board.queue[rs], board.running[rs], board.kvUsage[rs],
          board.decodeRate[rs], board.vramFree[gs],
          board.utilization[gs], board.runtimeTaken[rs], routed[j]);
      flags[j] = 0;
    }
    refreshCount = 0;
    current = targets.template.withFigures(figures, at);
    built = true;
    builtAt = at;
    if (!held) {
      budget.holds(this, targets.size());
    }
    return current;
  }

  /** This router sent a request to target {@code j} at {@code now}. */
  void dispatched(int j, long now) {
    dispatches.add(now, j);
    // Until its next signal reaches this router; a request sent at time 0 counts against
    // publication 0, which every router holds before the run starts.
    routed[j]++;
    mark(j, REFRESH);
    if (current != null) {
      current.addRouted(targets.keys[j]); // the production ledger's listener does the same
    }
  }
}
