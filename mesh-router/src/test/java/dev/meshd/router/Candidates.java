package dev.meshd.router;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/** Builds candidates for tests: a healthy, fresh, idle target unless told otherwise. */
public final class Candidates {

  private Candidates() {}

  public static Candidate idle(String node) {
    return new Candidate(node, "host-" + node, "z1", "r1", "http://" + node + ":8000", "m",
        true, false, true, "", 0, 0, OptionalDouble.of(0.0), OptionalDouble.empty(), 1.0, 0.0,
        Duration.ofMillis(100), 0, Optional.empty());
  }

  public static Candidate withQueue(String node, double queue) {
    return with(idle(node), queue, 0, 0.0);
  }

  public static Candidate with(Candidate c, double queue, double running, double kvUsage) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), queue, running,
        OptionalDouble.of(kvUsage), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(), c.signalAge(), c.routedSinceSignal(), c.slowestLink());
  }

  public static Candidate aged(Candidate c, Duration age) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(), age, c.routedSinceSignal(), c.slowestLink());
  }

  public static Candidate routedSince(Candidate c, int routed) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(), c.signalAge(), routed, c.slowestLink());
  }

  public static Candidate located(Candidate c, String hostId, String zone, String region) {
    return new Candidate(c.nodeId(), hostId, zone, region, c.runtime(), c.model(), c.alive(),
        c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(), c.signalAge(), c.routedSinceSignal(), c.slowestLink());
  }

  public static Candidate linked(Candidate c, LinkSummary link) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(),
        c.gpuUtilization(), c.signalAge(), c.routedSinceSignal(), Optional.of(link));
  }

  /** {@code c} with a measured decode rate, tokens/s per running request. */
  public static Candidate decoding(Candidate c, double tokensPerSecond) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), c.runtimeHealthy(), c.unhealthyReason(), c.queueDepth(),
        c.runningRequests(), c.kvCacheUsage(), OptionalDouble.of(tokensPerSecond),
        c.vramFreeRatio(), c.gpuUtilization(), c.signalAge(), c.routedSinceSignal(),
        c.slowestLink());
  }

  public static Candidate state(Candidate c, boolean alive, boolean draining, String unhealthy) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        alive, draining, unhealthy.isEmpty(), unhealthy, c.queueDepth(), c.runningRequests(),
        c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(), c.gpuUtilization(),
        c.signalAge(), c.routedSinceSignal(), c.slowestLink());
  }
}
