package dev.meshd.agent.policy;

import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.policy.NodeDrain;
import java.util.List;

/**
 * What is worth telling an operator about a drain the store accepted: a node id the fleet does
 * not know (allowed, so that a node can be drained before it joins or while it is away, but
 * likely a typo). Stateless apart from the fleet view it reads.
 */
public final class DrainCheck {

  private final FleetView fleet;

  public DrainCheck(FleetView fleet) {
    this.fleet = fleet;
  }

  /** The warnings for {@code drain}; empty when its node is a fleet member. */
  public List<String> warnings(NodeDrain drain) {
    if (fleet.member(drain.nodeId()).isPresent()) {
      return List.of();
    }
    return List.of("nodeId: node \"" + drain.nodeId() + "\" is not a member of the fleet "
        + "(drained anyway; it gets no new requests if a node with that id joins)");
  }
}
