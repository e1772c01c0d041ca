package dev.meshd.sim.engine;

import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.sim.fleet.Fleet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One model's targets as every router sees them before any load figure: the {@link
 * CandidateColumns} built once from candidates (identities, cells as zones, regions, pipeline
 * links), from which each router derives its columns with its own figures, and the logs of what
 * its workers published, which every router reads. Shared by the routers of every cell (the
 * simulation is single-threaded, so one scratch array serves them in turn). Not thread-safe.
 */
final class ModelTargets {

  final int[] workers;
  final String[] keys;
  final CandidateColumns template;
  final CandidateColumns.Figures figures;
  /** Per target, the time after which a dispatch counts as routed since its signal. */
  final long[] since;
  final PublicationLog runtimeLog;
  final PublicationLog gpuLog;
  /** Figures given up by views over the columns budget, for the next view that needs some. */
  final ArrayDeque<CandidateColumns.Figures> spareFigures = new ArrayDeque<>();

  ModelTargets(Fleet fleet, int[] workers, String model, long runtimeRetentionNanos,
      long gpuRetentionNanos) {
    this.workers = workers;
    int n = workers.length;
    keys = new String[n];
    List<Candidate> candidates = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      int w = workers[j];
      Candidate c = new Candidate(fleet.name[w], fleet.host[w], "cell-" + fleet.cell[w],
          "region-" + fleet.region[w], "sim", model, true, false, true, "", 0, 0,
          OptionalDouble.empty(), OptionalDouble.empty(), 1.0, 0, CandidateBuilder.NO_SIGNAL_AGE, 0,
          Optional.ofNullable(fleet.link[w]));
      candidates.add(c);
      keys[j] = c.key();
    }
    template = CandidateColumns.of(candidates, 0);
    figures = new CandidateColumns.Figures(n);
    since = new long[n];
    runtimeLog = new PublicationLog(runtimeRetentionNanos);
    gpuLog = new PublicationLog(gpuRetentionNanos);
  }

  int size() {
    return workers.length;
  }
}
