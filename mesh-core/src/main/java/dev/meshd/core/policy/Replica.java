package dev.meshd.core.policy;

import java.util.List;

/**
 * One full copy of a model on one node.
 *
 * @param nodeId the node that serves it
 * @param gpus the GPU indexes it uses on that node
 */
public record Replica(String nodeId, List<Integer> gpus) {

  public Replica {
    nodeId = nodeId == null ? "" : nodeId;
    gpus = Lists.copyOf(gpus);
  }
}
