package dev.meshd.sim.report;

import java.util.List;

/**
 * The outcome of one strategy's run: per request type and overall, and the fleet's figures.
 * Immutable after the run builds it (its stats are not written again).
 *
 * @param strategy the strategy's registry name
 * @param types per request type, in config order
 * @param links completed requests by the stage-link class of the pipeline that served them (its
 *     {@code arrived} counts those that reached such a pipeline and completed); empty when no
 *     model is pipelined
 * @param all every type merged
 * @param makespanNanos from the start to the last completion
 * @param gpuUtilization the fleet's mean busy share over the makespan, GPU-weighted
 * @param vramUseMean mean sampled VRAM in use over VRAM, across workers and samples
 * @param vramUsePeak the highest sampled VRAM use of any worker
 * @param fleetCostPerSecond price of the whole fleet per second
 * @param events events the engine processed, each signal delivery to a router counted (one per
 *     publication per cell, resolved by the router when it rebuilds, not scheduled)
 * @param signalDeliveries of {@code events}, the signal deliveries
 * @param wallNanos how long the run took
 * @param cpuNanos CPU time of the thread that ran it (on a shared machine, steadier than wall
 *     time)
 * @param decisions routing decisions made (hedges included)
 * @param offeredRate mean arrivals per second of the workload as run
 * @param conservationErrors broken invariants found at the end; empty when all is well
 */
public record RunResult(String strategy, List<TypeStats> types, List<TypeStats> links,
    TypeStats all,
    long makespanNanos, double gpuUtilization, double vramUseMean, double vramUsePeak,
    double fleetCostPerSecond, long events, long signalDeliveries, long wallNanos,
    long cpuNanos, long decisions, double offeredRate,
    List<String> conservationErrors) {

  public RunResult {
    types = List.copyOf(types);
    links = List.copyOf(links);
    conservationErrors = List.copyOf(conservationErrors);
  }

  public double makespanSeconds() {
    return makespanNanos / 1e9;
  }

  /** Completed tokens (prompt + output) per second over the makespan. */
  public double tokensPerSecond() {
    return makespanNanos == 0 ? 0 : (all.promptTokens + all.outputTokens) / makespanSeconds();
  }

  public double requestsPerSecond() {
    return makespanNanos == 0 ? 0 : all.completed / makespanSeconds();
  }

  /** The fleet's price over the makespan per thousand completed tokens. */
  public double costPer1kTokens() {
    long tokens = all.promptTokens + all.outputTokens;
    return tokens == 0 ? 0 : fleetCostPerSecond * makespanSeconds() / (tokens / 1000.0);
  }

  public double eventsPerSecond() {
    return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
  }

  /** Events per second of the simulation thread's CPU time. */
  public double eventsPerCpuSecond() {
    return cpuNanos <= 0 ? 0 : events * 1e9 / cpuNanos;
  }
}
