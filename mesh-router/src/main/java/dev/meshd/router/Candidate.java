package dev.meshd.router;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One place a request for a model could go (a runtime on a node), with everything the hard
 * filters and the scoring strategies look at. Built by the router from the fleet view, the load
 * signals and the placements; built by hand in tests and by the simulator.
 *
 * @param nodeId the node hosting the runtime
 * @param hostId the physical host (several nodes may share one)
 * @param zone the node's zone, empty when not configured
 * @param region the node's region, empty when not configured
 * @param runtime the runtime's endpoint (base URL)
 * @param model the served model name
 * @param alive the node is ALIVE in gossip
 * @param draining the node is cordoned: it gets no new requests
 * @param runtimeHealthy the runtime's last scrape succeeded
 * @param unhealthyReason why the runtime is unhealthy, empty otherwise
 * @param queueDepth requests waiting in the runtime's queue, as last reported
 * @param runningRequests requests in the runtime's running batch, as last reported
 * @param kvCacheUsage fraction 0..1 of the KV cache in use; empty when not reported
 * @param decodeTokensPerSecond tokens per second each running request decoded at the runtime over
 *     its last measured window (for a pipeline, at its entry stage, so link time is in it); empty
 *     until measured, or when the runtime does not export a generation counter
 * @param vramFreeRatio fraction 0..1 of the node's GPU memory that is free
 * @param gpuUtilization mean GPU utilization 0..1 of the node
 * @param signalAge age of the load figures at the router, by the router's clock
 * @param routedSinceSignal requests this router sent to this target after the signal was taken,
 *     which the reported queue cannot show yet
 * @param slowestLink for a pipeline placement, its slowest stage link; empty for replicas
 */
public record Candidate(
    String nodeId,
    String hostId,
    String zone,
    String region,
    String runtime,
    String model,
    boolean alive,
    boolean draining,
    boolean runtimeHealthy,
    String unhealthyReason,
    double queueDepth,
    double runningRequests,
    OptionalDouble kvCacheUsage,
    OptionalDouble decodeTokensPerSecond,
    double vramFreeRatio,
    double gpuUtilization,
    Duration signalAge,
    int routedSinceSignal,
    Optional<LinkSummary> slowestLink) {

  public Candidate {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(unhealthyReason, "unhealthyReason");
    Objects.requireNonNull(kvCacheUsage, "kvCacheUsage");
    Objects.requireNonNull(decodeTokensPerSecond, "decodeTokensPerSecond");
    Objects.requireNonNull(signalAge, "signalAge");
    Objects.requireNonNull(slowestLink, "slowestLink");
  }

  /** A stable identity for round-robin and explanations: {@code node/runtime}. */
  public String key() {
    return nodeId + "/" + runtime;
  }

  /** The queue this router expects: the reported one plus what it sent since. */
  public double effectiveQueue() {
    return queueDepth + routedSinceSignal;
  }
}
