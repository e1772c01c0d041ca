package dev.meshd.cli.nodes;

import dev.meshd.cli.output.DurationText;
import dev.meshd.cli.output.Gibibytes;
import dev.meshd.cli.output.ProtoText;
import dev.meshd.proto.v1.Fabric;
import dev.meshd.proto.v1.Gpu;
import dev.meshd.proto.v1.GpuSource;
import dev.meshd.proto.v1.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How one node's fields read in a table cell; shared by {@code list-nodes} and
 * {@code describe-node} so both show a node the same way. Stateless.
 */
final class NodeCells {

  /**
   * Classes the FABRIC column names before counting the rest: three covers the usual GPU node
   * (a GPU fabric, an RDMA class, QUIC) in about 20 characters.
   */
  static final int FABRIC_CLASSES_SHOWN = 3;

  private NodeCells() {}

  /** {@code ALIVE}, {@code SUSPECT}, {@code DEAD}, {@code LEFT}. */
  static String state(Node node) {
    return ProtoText.shortName(node.getState(), node.getStateValue(), "NODE_STATE_");
  }

  /**
   * The STATE column: the membership state, with {@code ,draining} when the node is drained
   * ({@code ALIVE,draining}), so that a drained node stands out without a column of its own.
   */
  static String stateWithDrain(Node node) {
    return state(node) + (node.getDraining() ? ",draining" : "");
  }

  /** {@code gpu,router}, or {@code -}. */
  static String roles(Node node) {
    return orDash(String.join(",", node.getRolesList()));
  }

  /**
   * The GPU count, marked {@code (sim)} when any of them is simulated, so that nobody mistakes a
   * demo fleet for hardware (DESIGN, "Real versus simulated").
   */
  static String gpus(Node node) {
    boolean simulated =
        node.getGpusList().stream()
            .anyMatch(gpu -> gpu.getSource() == GpuSource.GPU_SOURCE_SIMULATED);
    return node.getGpusCount() + (simulated ? " (sim)" : "");
  }

  /** Used and total VRAM over all GPUs, {@code 0.0/596.0 GiB}; {@code -} without GPUs. */
  static String vram(Node node) {
    if (node.getGpusCount() == 0) {
      return "-";
    }
    long used = node.getGpusList().stream().mapToLong(Gpu::getVramUsedBytes).sum();
    long total = node.getGpusList().stream().mapToLong(Gpu::getVramTotalBytes).sum();
    return Gibibytes.usedOfTotal(used, total);
  }

  /**
   * The queue depth column: requests waiting, summed over the node's runtimes whose load the
   * answering agent has (a router has every node's; another agent only its own); {@code -} when
   * it has none. A runtime that is down shows as {@code down}.
   */
  static String queue(Node node) {
    double waiting = 0;
    boolean any = false;
    boolean down = false;
    for (var runtime : node.getRuntimesList()) {
      if (runtime.hasStatus()) {
        any = true;
        down |= !runtime.getStatus().getHealthy();
        waiting += runtime.getStatus().getQueueDepth();
      }
    }
    if (!any) {
      return "-";
    }
    String count = waiting == Math.rint(waiting) ? Long.toString((long) waiting)
        : String.format(java.util.Locale.ROOT, "%.1f", waiting);
    return down ? count + " (down)" : count;
  }

  /**
   * The FABRIC column: the classes the node can offer a stage link, as the agent lists them
   * (fastest first), {@code NVLINK,RDMA_IB,QUIC}; past {@link #FABRIC_CLASSES_SHOWN} the rest
   * are counted ({@code NVLINK,RDMA_IB,EFA,+2}) so that the table stays narrow. {@code -} when
   * there is none (an agent older than the fabric part also sends none).
   */
  static String fabric(Node node) {
    List<String> classes = node.getFabric().getClassesList();
    if (classes.isEmpty()) {
      return "-";
    }
    if (classes.size() <= FABRIC_CLASSES_SHOWN) {
      return String.join(",", classes);
    }
    return String.join(",", classes.subList(0, FABRIC_CLASSES_SHOWN))
        + ",+" + (classes.size() - FABRIC_CLASSES_SHOWN);
  }

  /** Every class the node can offer, {@code NVLINK, RDMA_IB, QUIC}; {@code -} when none. */
  static String allFabricClasses(Fabric fabric) {
    return orDash(String.join(", ", fabric.getClassesList()));
  }

  /** Time since the answering agent first saw the node, else since its last update. */
  static String age(Node node, Instant now) {
    return since(node)
        .map(seen -> DurationText.age(Duration.between(seen, now)))
        .orElse("-");
  }

  static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }

  private static Optional<Instant> since(Node node) {
    return ProtoText.instant(node.hasFirstSeen(), node.getFirstSeen())
        .or(() -> ProtoText.instant(node.hasLastUpdated(), node.getLastUpdated()));
  }
}
