package dev.meshd.router.route;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.StageLink;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.SignalView;
import dev.meshd.router.Candidate;
import dev.meshd.router.LinkSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns the fleet, the load signals and the placements into the candidates for one model.
 *
 * <p>A placed model's candidates are the nodes its placements name (the first stage's node for a
 * pipeline, with the slowest negotiated stage link); a model without a placement goes to every
 * node whose runtime serves it, whatever the node's state (the filters then say why a node is not
 * eligible, so a decision stays explainable). Stateless apart from the injected views.
 */
public final class CandidateBuilder {

  /**
   * The age given to a candidate whose runtime has sent no load signal yet: far beyond any
   * staleness bound, so the stale policy (drop or penalize) applies to it.
   */
  public static final Duration NO_SIGNAL_AGE = Duration.ofHours(1);

  private final SignalView signals;
  private final DispatchLedger ledger;

  public CandidateBuilder(SignalView signals, DispatchLedger ledger) {
    this.signals = signals;
    this.ledger = ledger;
  }

  /** {@link SignalView#version()} of the signals candidates are built from. */
  long signalsVersion() {
    return signals.version();
  }

  DispatchLedger ledger() {
    return ledger;
  }

  /** The candidates for {@code model}; empty when nothing places or serves it (unknown model). */
  public List<Candidate> build(String model, RoutingTable table, List<FleetMember> members) {
    List<Placement> placements = table.placementsOf(model);
    List<Candidate> out = new ArrayList<>();
    if (placements.isEmpty()) {
      for (FleetMember m : members) {
        for (RuntimeInfo runtime : m.record().runtimes()) {
          if (runtime.models().contains(model)) {
            out.add(candidate(model, m.record(), m, runtime, table.drainedNodes().contains(
                m.nodeId()), Optional.empty()));
          }
        }
      }
      return out;
    }
    // Only placed models look members up by id: the unplaced path above needs no map.
    Map<String, FleetMember> byId = new LinkedHashMap<>();
    for (FleetMember m : members) {
      byId.put(m.nodeId(), m);
    }
    for (Placement placement : placements) {
      Optional<LinkSummary> slowest = slowestLink(placement);
      Optional<String> broken = failedLink(placement);
      for (String nodeId : entryNodes(placement)) {
        boolean draining = table.drainedNodes().contains(nodeId)
            || placement.cordonedNodes().contains(nodeId);
        FleetMember member = byId.get(nodeId);
        if (member == null) {
          out.add(unknownNode(model, nodeId, draining, slowest));
          continue;
        }
        List<RuntimeInfo> serving = member.record().runtimes().stream()
            .filter(r -> r.models().contains(model)).toList();
        if (serving.isEmpty()) {
          out.add(notServed(model, member, draining, slowest));
        }
        for (RuntimeInfo runtime : serving) {
          Candidate c = candidate(model, member.record(), member, runtime, draining, slowest);
          out.add(broken.map(reason -> unhealthy(c, reason)).orElse(c));
        }
      }
    }
    // One placement names each node once (entryNodes is distinct); only several can overlap.
    return placements.size() == 1 ? out : dedupe(out);
  }

  private static List<String> entryNodes(Placement placement) {
    if (placement.isPipelined()) {
      return placement.stages().stream().min(Comparator.comparingInt(s -> s.index()))
          .map(s -> List.of(s.nodeId())).orElse(List.of());
    }
    return placement.replicas().stream().map(r -> r.nodeId()).distinct().toList();
  }

  /**
   * Why a pipeline cannot carry requests: one of its stage links failed or is down; empty
   * otherwise.
   */
  static Optional<String> failedLink(Placement placement) {
    return placement.links().stream()
        .filter(l -> l.status().state().isBroken())
        .findFirst()
        .map(l -> "stage link " + l.fromStage() + "->" + l.toStage() + " "
            + (l.status().state() == LinkState.DOWN ? "down" : "failed")
            + (l.status().reason().isEmpty() ? "" : ": " + l.status().reason()));
  }

  /**
   * The slowest link that is up (the lowest measured bandwidth, then the longest measured round
   * trip), with both figures; a pipeline whose links are not negotiated yet has none.
   */
  static Optional<LinkSummary> slowestLink(Placement placement) {
    if (!placement.isPipelined()) {
      return Optional.empty();
    }
    return placement.links().stream()
        .map(StageLink::status)
        .filter(s -> (s.state() == LinkState.UP || s.state() == LinkState.DEGRADED)
            && !s.fabricClass().isEmpty())
        .min(Comparator.comparingLong((LinkStatus s) -> s.bandwidthBytesPerSecond())
            .thenComparing(Comparator.comparingLong(LinkStatus::rttMicros).reversed()))
        .map(s -> new LinkSummary(s.fabricClass(), s.bandwidthBytesPerSecond(),
            Math.max(0, s.rttMicros())));
  }

  private Candidate candidate(String model, CapabilityRecord record, FleetMember member,
      RuntimeInfo runtime, boolean draining, Optional<LinkSummary> slowest) {
    Optional<AgedSignal> signal = signals.signals(record.nodeId()).stream()
        .filter(s -> s.signal().endpoint().equals(runtime.endpoint()))
        .findFirst();
    boolean healthy = signal.map(s -> s.signal().healthy()).orElse(true);
    String reason = signal.flatMap(s -> s.signal().reason()).orElse("");
    Optional<ModelLoad> load = signal.flatMap(s -> s.signal().load(model));
    Duration age = signal.map(AgedSignal::age).orElse(NO_SIGNAL_AGE);
    String key = record.nodeId() + "/" + runtime.endpoint();
    return new Candidate(record.nodeId(), record.hostId(), record.zone(), record.region(),
        runtime.endpoint(), model, member.state().isRoutable(), draining, healthy, reason,
        load.map(ModelLoad::queueDepth).orElse(0.0),
        load.map(ModelLoad::runningRequests).orElse(0.0),
        load.map(ModelLoad::kvCacheUsage).orElse(OptionalDouble.empty()),
        load.map(ModelLoad::decodeTokensPerSecond).orElse(OptionalDouble.empty()),
        vramFreeRatio(record), meanUtilization(record), age,
        ledger.sentWithin(key, age), slowest);
  }

  private static Candidate unknownNode(String model, String nodeId, boolean draining,
      Optional<LinkSummary> slowest) {
    return new Candidate(nodeId, "", "", "", "", model, false, draining, false,
        "node not in the fleet", 0, 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0,
        NO_SIGNAL_AGE, 0, slowest);
  }

  private static Candidate notServed(String model, FleetMember member, boolean draining,
      Optional<LinkSummary> slowest) {
    CapabilityRecord r = member.record();
    return new Candidate(r.nodeId(), r.hostId(), r.zone(), r.region(), "", model,
        member.state().isRoutable(), draining, false, "no runtime on the node serves " + model,
        0, 0, OptionalDouble.empty(), OptionalDouble.empty(), vramFreeRatio(r),
        meanUtilization(r), NO_SIGNAL_AGE, 0, slowest);
  }

  private static Candidate unhealthy(Candidate c, String reason) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), false, reason, c.queueDepth(), c.runningRequests(),
        c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(), c.gpuUtilization(),
        c.signalAge(), c.routedSinceSignal(), c.slowestLink());
  }

  static double vramFreeRatio(CapabilityRecord record) {
    long total = record.vramTotalBytes();
    if (total <= 0) {
      return 0;
    }
    return Math.clamp(1.0 - (double) record.vramUsedBytes() / total, 0.0, 1.0);
  }

  static double meanUtilization(CapabilityRecord record) {
    return record.gpus().stream().mapToDouble(GpuInfo::utilization).average().orElse(0);
  }

  /** Two placements naming the same node give one candidate per runtime, draining if either says so. */
  private static List<Candidate> dedupe(List<Candidate> candidates) {
    Map<String, Candidate> byKey = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      byKey.merge(c.key(), c, (a, b) -> a.draining() || !b.draining() ? a : b);
    }
    return List.copyOf(byKey.values());
  }
}
