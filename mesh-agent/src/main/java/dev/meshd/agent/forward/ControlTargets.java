package dev.meshd.agent.forward;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which control agent to forward to: an ALIVE member with role {@code control}, as the fleet view
 * shows it. Agents start from different control nodes (ordered by a hash of their own id) so that
 * forwarded load spreads; a node whose call failed with UNAVAILABLE is passed over for {@link
 * #BACKOFF} unless it is the only one. Thread-safe.
 */
public final class ControlTargets {

  /** Long enough to skip a node that is restarting, short enough to notice it is back. */
  static final Duration BACKOFF = Duration.ofSeconds(5);

  private final FleetView fleet;
  private final String selfId;
  private final Clock clock;
  private final Map<String, Instant> avoidUntil = new ConcurrentHashMap<>();

  /** One control agent: its node id and gRPC address. */
  public record Target(String nodeId, String grpcAddress) {}

  public ControlTargets(FleetView fleet, String selfId, Clock clock) {
    this.fleet = fleet;
    this.selfId = selfId;
    this.clock = clock;
  }

  /** Every ALIVE control agent but this one, in this agent's order of preference. */
  public List<Target> candidates() {
    Instant now = clock.instant();
    Comparator<FleetMember> preference = Comparator
        .comparing((FleetMember m) -> avoidUntil.getOrDefault(m.nodeId(), Instant.MIN)
            .isAfter(now))
        .thenComparingInt(m -> Math.floorMod((m.nodeId() + "/" + selfId).hashCode(), 1 << 16))
        .thenComparing(FleetMember::nodeId);
    return fleet.members().stream()
        .filter(m -> m.state() == MemberState.ALIVE)
        .filter(m -> m.record().roles().contains("control"))
        .filter(m -> !m.nodeId().equals(selfId))
        .filter(m -> !m.record().grpcAddress().isBlank())
        .sorted(preference)
        .map(m -> new Target(m.nodeId(), m.record().grpcAddress()))
        .toList();
  }

  /** The preferred control agent, if any is ALIVE. */
  public Optional<Target> pick() {
    return candidates().stream().findFirst();
  }

  /** Remembers that {@code target} could not be reached, so the next call prefers another. */
  public void markUnavailable(Target target) {
    avoidUntil.put(target.nodeId(), clock.instant().plus(BACKOFF));
  }
}
