package dev.meshd.router.route;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.StageLink;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuUsage;
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
 * eligible, so a decision stays explainable). A node's GPU memory and utilization come from the
 * freshest source ({@link GpuUsage#freshest}): its GPU readings from the signal path while they
 * are fresh under the router's staleness bound, else the figures of its capability record.
 * Stateless apart from the injected views.
 */
public final class CandidateBuilder {

  /**
   * The age given to a candidate whose runtime has sent no load signal yet: far beyond any
   * staleness bound, so the stale policy (drop or penalize) applies to it.
   */
  public static final Duration NO_SIGNAL_AGE = Duration.ofHours(1);

  private final SignalView signals;
  private final DispatchLedger ledger;
  private final Duration staleAfter;

  /**
   * @param staleAfter the router's staleness bound ({@code router.stale-after}): a node's GPU
   *     readings are used while they are fresh under it
   */
  public CandidateBuilder(SignalView signals, DispatchLedger ledger, Duration staleAfter) {
    this.signals = signals;
    this.ledger = ledger;
    this.staleAfter = staleAfter;
  }

  /**
   * Candidates and how long they stay as built: the time until the first GPU reading they took
   * figures from turns stale, when their figures would fall back to the record's.
   *
   * @param gpuFiguresFor empty when no candidate took GPU figures from a reading
   */
  record Built(List<Candidate> candidates, Optional<Duration> gpuFiguresFor) {}

  /** {@link SignalView#version()} of the signals candidates are built from. */
  long signalsVersion() {
    return signals.version();
  }

  DispatchLedger ledger() {
    return ledger;
  }

  /** The candidates for {@code model}; empty when nothing places or serves it (unknown model). */
  public List<Candidate> build(String model, RoutingTable table, List<FleetMember> members) {
    return buildTimed(model, table, members).candidates();
  }

  /** {@link #build}, with how long the GPU figures of the candidates stay as they are. */
  Built buildTimed(String model, RoutingTable table, List<FleetMember> members) {
    Freshness freshness = new Freshness();
    List<Candidate> candidates = build(model, table, members, freshness);
    return new Built(candidates, Optional.ofNullable(freshness.shortest));
  }

  /** The shortest time a GPU reading used in one build stays fresh; one build's, one thread's. */
  private static final class Freshness {
    Duration shortest;

    void add(Optional<Duration> freshFor) {
      freshFor.ifPresent(d -> shortest = shortest == null || d.compareTo(shortest) < 0
          ? d : shortest);
    }
  }

  /** A node's GPUs with usage from the freshest source, noting how long that holds. */
  private GpuUsage gpus(CapabilityRecord record, Freshness freshness) {
    GpuUsage usage = GpuUsage.freshest(record.gpus(), signals.gpus(record.nodeId()), staleAfter);
    freshness.add(usage.freshFor());
    return usage;
  }

  private List<Candidate> build(String model, RoutingTable table, List<FleetMember> members,
      Freshness freshness) {
    List<Placement> placements = table.placementsOf(model);
    List<Candidate> out = new ArrayList<>();
    if (placements.isEmpty()) {
      for (FleetMember m : members) {
        GpuUsage gpus = null; // read once per node, and only for a node that serves the model
        for (RuntimeInfo runtime : m.record().runtimes()) {
          if (runtime.models().contains(model)) {
            gpus = gpus != null ? gpus : gpus(m.record(), freshness);
            out.add(candidate(model, m.record(), m, runtime, table.drainedNodes().contains(
                m.nodeId()), Optional.empty(), gpus));
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
        GpuUsage gpus = gpus(member.record(), freshness);
        if (serving.isEmpty()) {
          out.add(notServed(model, member, draining, slowest, gpus));
        }
        for (RuntimeInfo runtime : serving) {
          Candidate c = candidate(model, member.record(), member, runtime, draining, slowest,
              gpus);
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
      RuntimeInfo runtime, boolean draining, Optional<LinkSummary> slowest, GpuUsage gpus) {
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
        gpus.vramFreeRatio(), gpus.meanUtilization(), age,
        ledger.sentWithin(key, age), slowest);
  }

  private static Candidate unknownNode(String model, String nodeId, boolean draining,
      Optional<LinkSummary> slowest) {
    return new Candidate(nodeId, "", "", "", "", model, false, draining, false,
        "node not in the fleet", 0, 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0,
        NO_SIGNAL_AGE, 0, slowest);
  }

  private static Candidate notServed(String model, FleetMember member, boolean draining,
      Optional<LinkSummary> slowest, GpuUsage gpus) {
    CapabilityRecord r = member.record();
    return new Candidate(r.nodeId(), r.hostId(), r.zone(), r.region(), "", model,
        member.state().isRoutable(), draining, false, "no runtime on the node serves " + model,
        0, 0, OptionalDouble.empty(), OptionalDouble.empty(), gpus.vramFreeRatio(),
        gpus.meanUtilization(), NO_SIGNAL_AGE, 0, slowest);
  }

  private static Candidate unhealthy(Candidate c, String reason) {
    return new Candidate(c.nodeId(), c.hostId(), c.zone(), c.region(), c.runtime(), c.model(),
        c.alive(), c.draining(), false, reason, c.queueDepth(), c.runningRequests(),
        c.kvCacheUsage(), c.decodeTokensPerSecond(), c.vramFreeRatio(), c.gpuUtilization(),
        c.signalAge(), c.routedSinceSignal(), c.slowestLink());
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
