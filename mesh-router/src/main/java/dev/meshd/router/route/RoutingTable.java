package dev.meshd.router.route;

import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.StoreSnapshot;
import java.util.List;
import java.util.Set;

/**
 * What the router reads from the policy store, as of one store revision: the policies, the
 * placements and the drained nodes. Immutable; the agent builds a new one on every store change.
 *
 * @param policies every policy
 * @param placements every placement
 * @param drainedNodes nodes drained with {@code mesh-cli drain}: no new requests for any model
 * @param revision the store revision this table reflects; 0 before the store was first read
 */
public record RoutingTable(
    List<Policy> policies, List<Placement> placements, Set<String> drainedNodes, long revision) {

  public static final RoutingTable EMPTY = new RoutingTable(List.of(), List.of(), Set.of(), 0);

  public RoutingTable {
    policies = List.copyOf(policies);
    placements = List.copyOf(placements);
    drainedNodes = Set.copyOf(drainedNodes);
  }

  /** The table of a store snapshot: its documents sorted by name, the drained node ids. */
  public static RoutingTable of(StoreSnapshot snapshot) {
    return new RoutingTable(
        new java.util.TreeMap<>(snapshot.policies()).values().stream().toList(),
        new java.util.TreeMap<>(snapshot.placements()).values().stream().toList(),
        snapshot.drains().keySet(), snapshot.revision());
  }

  /** The placements of {@code model}, in store order. */
  public List<Placement> placementsOf(String model) {
    return placements.stream().filter(p -> p.model().equals(model)).toList();
  }

  /** Every model named by a placement, sorted. */
  public List<String> placedModels() {
    return placements.stream().map(Placement::model).distinct().sorted().toList();
  }
}
