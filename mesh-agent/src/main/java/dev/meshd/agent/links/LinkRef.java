package dev.meshd.agent.links;

import java.util.List;
import java.util.Objects;

/**
 * One stage link of one placement, with the nodes of its two ends as the placement names them.
 *
 * @param placement the placement's name
 * @param fromStage the upstream stage's index; the link goes to the next stage
 * @param toStage the downstream stage's index
 * @param upstreamNode the node hosting {@code fromStage}
 * @param downstreamNode the node hosting {@code toStage}
 * @param upstreamGpus the upstream stage's GPUs
 * @param downstreamGpus the downstream stage's GPUs
 */
public record LinkRef(String placement, int fromStage, int toStage, String upstreamNode,
    String downstreamNode, List<Integer> upstreamGpus, List<Integer> downstreamGpus) {

  public LinkRef {
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(upstreamNode, "upstreamNode");
    Objects.requireNonNull(downstreamNode, "downstreamNode");
    upstreamGpus = List.copyOf(upstreamGpus);
    downstreamGpus = List.copyOf(downstreamGpus);
  }

  /** {@code placement/from->to}, for logs and status text. */
  public String label() {
    return placement + "/" + fromStage + "->" + toStage;
  }
}
