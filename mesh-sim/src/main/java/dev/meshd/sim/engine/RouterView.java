package dev.meshd.sim.engine;

import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.sim.fleet.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One router's view of one model's workers, as the production router keeps it: {@link
 * CandidateColumns} built once from candidates (identities, cells as zones, regions, pipeline
 * links) and given new load figures as signals are delivered, rebuilt no more often than the
 * router's rebuild interval (the router's {@code CandidateTables} does the same), with the
 * requests this router sent since each target's signal counted in place between rebuilds.
 * Not thread-safe: owned by the simulation's thread.
 */
final class RouterView {

  final int[] workers;
  final String[] keys;
  private final CandidateColumns template;
  private final CandidateColumns.Figures figures;
  private final double[] queue;
  private final double[] running;
  private final double[] kv;
  private final double[] vramFree;
  private final double[] utilization;
  private final long[] taken;
  private final int[] routed;
  private final int[] shownRuntime;
  private final int[] shownGpu;
  private final LongQueue[] dispatches;
  private final long rebuildNanos;
  private CandidateColumns current;
  private boolean dirty = true;

  RouterView(Fleet fleet, int[] workers, String model, long rebuildNanos) {
    this.workers = workers;
    this.rebuildNanos = rebuildNanos;
    int n = workers.length;
    keys = new String[n];
    List<Candidate> candidates = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      int w = workers[j];
      Candidate c = new Candidate(fleet.name[w], fleet.host[w], "cell-" + fleet.cell[w],
          "region-" + fleet.region[w], "sim", model, true, false, true, "", 0, 0,
          OptionalDouble.empty(), 1.0, 0, CandidateBuilder.NO_SIGNAL_AGE, 0,
          Optional.ofNullable(fleet.link[w]));
      candidates.add(c);
      keys[j] = c.key();
    }
    template = CandidateColumns.of(candidates, 0);
    figures = new CandidateColumns.Figures(n);
    queue = new double[n];
    running = new double[n];
    kv = new double[n];
    vramFree = new double[n];
    utilization = new double[n];
    taken = new long[n];
    routed = new int[n];
    shownRuntime = new int[n];
    shownGpu = new int[n];
    dispatches = new LongQueue[n];
    for (int j = 0; j < n; j++) {
      int w = workers[j];
      // At the start every router knows every idle worker (publication 0 at time 0).
      vramFree[j] = 1.0 - (double) fleet.weightsBytes[w] / fleet.vramBytes[w];
      dispatches[j] = new LongQueue();
      set(j);
    }
  }

  private void set(int j) {
    figures.set(j, queue[j], running[j], kv[j], vramFree[j], utilization[j], taken[j],
        routed[j]);
  }

  /** A runtime publication reaches this router; older than the one shown, it is ignored. */
  void deliverRuntime(int j, int k, long takenNanos, double q, double r, double kvUsage) {
    if (k <= shownRuntime[j]) {
      return;
    }
    shownRuntime[j] = k;
    taken[j] = takenNanos;
    queue[j] = q;
    running[j] = r;
    kv[j] = kvUsage;
    routed[j] = dispatches[j].trimAtOrBefore(takenNanos);
    set(j);
    dirty = true;
  }

  void deliverGpu(int j, int k, double free, double util) {
    if (k <= shownGpu[j]) {
      return;
    }
    shownGpu[j] = k;
    vramFree[j] = free;
    utilization[j] = util;
    set(j);
    dirty = true;
  }

  /** The columns to decide on at {@code now}: rebuilt when figures changed and it is time. */
  CandidateColumns columns(long now) {
    if (current == null || (dirty && now - current.builtAtNanos() >= rebuildNanos)) {
      current = template.withFigures(figures, now);
      dirty = false;
    }
    return current;
  }

  /** This router sent a request to target {@code j} at {@code now}. */
  void dispatched(int j, long now) {
    dispatches[j].add(now);
    routed[j]++;
    set(j);
    if (current != null) {
      current.addRouted(keys[j]); // the production ledger's listener does the same
    }
  }
}
