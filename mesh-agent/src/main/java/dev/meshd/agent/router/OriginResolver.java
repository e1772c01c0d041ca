package dev.meshd.agent.router;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.router.RouteRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds where a request enters the mesh, for locality: a named node from the fleet, or this
 * agent when none is named. Thread-safe.
 */
public final class OriginResolver {

  private final FleetView fleet;
  private final Supplier<CapabilityRecord> self;

  public OriginResolver(FleetView fleet, Supplier<CapabilityRecord> self) {
    this.fleet = fleet;
    this.self = self;
  }

  /** The origin of {@code nodeId} (blank: this agent); empty when the node is not in the fleet. */
  public Optional<RouteRequest.Origin> resolve(String nodeId) {
    if (nodeId.isBlank()) {
      return Optional.of(self());
    }
    return fleet.member(nodeId).map(m -> origin(m.record()));
  }

  /** This agent as the origin. */
  public RouteRequest.Origin self() {
    return origin(self.get());
  }

  private static RouteRequest.Origin origin(CapabilityRecord r) {
    return new RouteRequest.Origin(r.nodeId(), r.hostId(), r.zone(), r.region());
  }
}
