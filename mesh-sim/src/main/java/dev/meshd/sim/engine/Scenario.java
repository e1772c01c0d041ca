package dev.meshd.sim.engine;

import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.fleet.Fleet;
import dev.meshd.sim.fleet.Network;
import dev.meshd.sim.workload.Arrivals;
import dev.meshd.sim.workload.Trace;
import java.util.SplittableRandom;

/**
 * Everything the strategies of one config share: the fleet, the network, the arrival process
 * scaled to its target load, and the seeds of the run's random tree (one root from the config's
 * seed; each stream a fixed child, so every strategy sees the same workload). Immutable.
 *
 * @param capacity the fleet's capacity in requests per second for this workload's mix
 */
public record Scenario(SimConfig config, Fleet fleet, Network network, Arrivals.Spec arrivals,
    double capacity, long workloadSeed, long signalSeed, long networkSeed, long strategySeed) {

  /** Builds the fleet and network and scales the arrivals to {@code workload.target-load}. */
  public static Scenario of(SimConfig config) {
    SplittableRandom root = new SplittableRandom(config.seed());
    SplittableRandom coordinates = root.split();
    long workloadSeed = root.nextLong();
    long signalSeed = root.nextLong();
    long networkSeed = root.nextLong();
    long strategySeed = root.nextLong();
    long capacitySeed = root.nextLong();
    Fleet fleet = Fleet.build(config);
    Network network = new Network(config.network(), config.fleet().cells(), coordinates);
    double capacity = capacity(config, fleet, new SplittableRandom(capacitySeed));
    Arrivals.Spec arrivals = config.workload().arrivals();
    if (config.workload().targetLoad().isPresent()) {
      arrivals = arrivals.scaled(config.workload().targetLoad().getAsDouble() * capacity
          / arrivals.meanRate());
    }
    return new Scenario(config, fleet, network, arrivals, capacity, workloadSeed, signalSeed,
        networkSeed, strategySeed);
  }

  /** The offered load as a share of capacity. */
  public double load() {
    return arrivals.meanRate() / capacity;
  }

  /**
   * Requests per second the fleet serves with every GPU busy: each worker needs, per request of
   * type t, prompt / prefill rate + output / full-batch decode rate seconds of GPU time (a
   * pipeline's link costs included); a model's
   * capacity is the sum over its workers of 1 / that time (averaged over its types), and the
   * fleet's is the smallest model capacity over that model's share of arrivals. Token means are
   * sampled (rounding and clamping included) or, for trace replay, the trace's.
   */
  static double capacity(SimConfig config, Fleet fleet, SplittableRandom random) {
    SimConfig.Workload w = config.workload();
    int types = w.types().size();
    double[] share = new double[types];
    double[] prompt = new double[types];
    double[] output = new double[types];
    if (w.arrivals() instanceof Arrivals.Replay replay) {
      Trace trace = replay.trace();
      for (int t = 0; t < types; t++) {
        if (w.types().get(t).name().equals(w.traceType())) {
          share[t] = 1;
          prompt[t] = trace.meanPromptTokens();
          output[t] = trace.meanOutputTokens();
        }
      }
    } else {
      double total = w.types().stream().mapToDouble(SimConfig.RequestType::weight).sum();
      int samples = 50_000;
      for (int t = 0; t < types; t++) {
        SimConfig.RequestType type = w.types().get(t);
        share[t] = type.weight() / total;
        double p = 0;
        double o = 0;
        for (int i = 0; i < samples; i++) {
          p += type.promptTokens().sampleTokens(random, 1, type.maxPromptTokens());
          o += type.outputTokens().sampleTokens(random, 1, type.maxOutputTokens());
        }
        prompt[t] = p / samples;
        output[t] = o / samples;
      }
    }
    double fleetCapacity = Double.POSITIVE_INFINITY;
    for (int m = 0; m < config.models().size(); m++) {
      String name = config.models().get(m).family();
      long copies = config.models().stream().filter(x -> x.family().equals(name)).count();
      double modelShare = 0;
      for (int t = 0; t < types; t++) {
        if (w.types().get(t).model().equals(name)) {
          modelShare += share[t] / copies; // a type's requests are spread evenly over the copies
        }
      }
      if (modelShare == 0) {
        continue;
      }
      double modelCapacity = 0;
      for (int worker : fleet.workersOfModel[m]) {
        double fullBatch = fleet.fullBatchTokensPerS(worker);
        double seconds = 0;
        for (int t = 0; t < types; t++) {
          if (w.types().get(t).model().equals(name)) {
            double typeShare = share[t] / copies / modelShare;
            seconds += typeShare * (prompt[t] / fleet.prefillTokensPerS[worker]
                + output[t] / fullBatch);
          }
        }
        modelCapacity += 1.0 / seconds;
      }
      fleetCapacity = Math.min(fleetCapacity, modelCapacity / modelShare);
    }
    return fleetCapacity;
  }
}
