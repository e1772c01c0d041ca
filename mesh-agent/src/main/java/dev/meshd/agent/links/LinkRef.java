package dev.meshd.agent.links;

import java.util.Objects;

/**
 * One stage link of one placement, with the nodes of its two ends as the placement names them.
 *
 * @param placement the placement's name
 * @param fromStage the upstream stage's index; the link goes to the next stage
 * @param toStage the downstream stage's index
 * @param upstreamNode the node hosting {@code fromStage}
 * @param downstreamNode the node hosting {@code toStage}
 */
public record LinkRef(String placement, int fromStage, int toStage, String upstreamNode,
    String downstreamNode) {

  public LinkRef {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(upstreamNode, "upstreamNode");
    Objects.requireNonNull(downstreamNode, "downstreamNode");
  }

  /** {@code placement/from->to}, for logs and status text. */
  public String label() {
    return placement + "/" + fromStage + "->" + toStage;
  }
}
