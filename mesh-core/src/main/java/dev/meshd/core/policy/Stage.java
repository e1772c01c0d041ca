package dev.meshd.core.policy;

import java.util.List;

/**
 * One pipeline stage of a model split by layers.
 *
 * @param index position in the pipeline, 0 for the stage that sees the prompt first
 * @param firstLayer first layer this stage runs, inclusive
 * @param lastLayer last layer this stage runs, inclusive
 * @param nodeId the node that runs it
 * @param gpus the GPU indexes it uses on that node
 */
public record Stage(int index, int firstLayer, int lastLayer, String nodeId, List<Integer> gpus) {

  public Stage {
    nodeId = nodeId == null ? "" : nodeId;
    gpus = Lists.copyOf(gpus);
  }
}
