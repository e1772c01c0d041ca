package dev.meshd.agent.policy;

import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Replica;
import dev.meshd.core.policy.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is worth telling an operator about a placement the store accepted: nodes it names that
 * the fleet does not know (allowed, since a node may join later, but likely a typo). Stateless
 * apart from the fleet view it reads.
 */
public final class PlacementCheck {

  private final FleetView fleet;

  public PlacementCheck(FleetView fleet) {
    this.fleet = fleet;
  }

  /** The warnings for {@code placement}; empty when every node it names is a fleet member. */
  public List<String> warnings(Placement placement) {
    Set<String> members = fleet.members().stream().map(m -> m.nodeId())
        .collect(Collectors.toSet());
    List<String> warnings = new ArrayList<>();
    for (Replica replica : placement.replicas()) {
      if (!members.contains(replica.nodeId())) {
        warnings.add(unknown("replicas", replica.nodeId()));
      }
    }
    for (Stage stage : placement.stages()) {
      if (!members.contains(stage.nodeId())) {
        warnings.add(unknown("stages[" + stage.index() + "]", stage.nodeId()));
      }
    }
    for (String cordoned : placement.cordonedNodes()) {
      if (!members.contains(cordoned)) {
        warnings.add(unknown("cordonedNodes", cordoned));
      }
    }
    return warnings;
  }

  private static String unknown(String field, String nodeId) {
    return field + ": node \"" + nodeId + "\" is not a member of the fleet (stored anyway; it "
        + "serves nothing until a node with that id joins)";
  }
}
