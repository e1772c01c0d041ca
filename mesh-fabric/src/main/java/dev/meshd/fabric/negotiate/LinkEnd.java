package dev.meshd.fabric.negotiate;

import java.util.List;
import java.util.Objects;

/**
 * One end of a stage link as the negotiation knows it. Immutable.
 *
 * @param nodeId the agent's node id
 * @param hostId its {@code node.host-id}: NVLink and XGMI need both ends on one host
 * @param gpus the GPU indexes the stage uses there; empty for a node-level probe
 */
public record LinkEnd(String nodeId, String hostId, List<Integer> gpus) {

  public LinkEnd {
    Objects.requireNonNull(nodeId, "nodeId");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId: blank (expected: a node id)");
    }
    hostId = Objects.requireNonNullElse(hostId, "");
    gpus = List.copyOf(Objects.requireNonNull(gpus, "gpus"));
    for (int gpu : gpus) {
      if (gpu < 0) {
        throw new IllegalArgumentException("gpus: " + gpu + " (expected: indexes >= 0)");
      }
    }
  }

  /** Whether both ends declare the same non-empty host id. */
  public boolean sameHostAs(LinkEnd other) {
    return !hostId.isEmpty() && hostId.equals(other.hostId);
  }
}
