package dev.meshd.cli.testing;

import com.google.protobuf.Duration;
import dev.meshd.proto.v1.Admission;
import dev.meshd.proto.v1.Hedging;
import dev.meshd.proto.v1.LinkState;
import dev.meshd.proto.v1.LinkStatus;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.Replica;
import dev.meshd.proto.v1.Stage;
import dev.meshd.proto.v1.StageLink;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Policies and placements that together cover every column of the policy and placement tables:
 * limits set and unset, hedging on and off, replicas and stages, a negotiated and a pending link,
 * cordoned nodes. Also the paths of the example documents under {@code examples/}.
 */
public final class TestDocuments {

  private TestDocuments() {}

  /** Hybrid, both limits, hedging after 250 ms, revision 12. */
  public static Policy llamaPolicy() {
    return Policy.newBuilder()
        .setName("llama-hybrid")
        .setModelSelector("meta-llama/Llama-3.1-8B-Instruct")
        .setStrategy("hybrid")
        .putWeights("queue_depth", 0.6)
        .putWeights("kv_headroom", 0.4)
        .setAdmission(Admission.newBuilder().setMaxQueueDepthPerTarget(32)
            .setMaxInFlightPerTenant(64))
        .setHedging(Hedging.newBuilder().setEnabled(true)
            .setDelay(Duration.newBuilder().setNanos(250_000_000)))
        .setRevision(12)
        .build();
  }

  /** A glob selector, no limits, no hedging, revision 7. */
  public static Policy defaultPolicy() {
    return Policy.newBuilder()
        .setName("default")
        .setModelSelector("*")
        .setStrategy("least_queue")
        .setRevision(7)
        .build();
  }

  /** Two stages on node1 and node2 with a QUIC link at 12.5 GB/s; revision 15. */
  public static Placement pipeline() {
    return Placement.newBuilder()
        .setName("llama-pipeline")
        .setModel("meta-llama/Llama-3.1-8B-Instruct")
        // Listed out of order: the CLI shows stages in pipeline order.
        .addStages(Stage.newBuilder().setIndex(1).setFirstLayer(16).setLastLayer(31)
            .setNodeId("node2").addGpuIndexes(0))
        .addStages(Stage.newBuilder().setIndex(0).setFirstLayer(0).setLastLayer(15)
            .setNodeId("node1").addGpuIndexes(0))
        .addLinks(StageLink.newBuilder().setFromStage(0).setToStage(1)
            .setStatus(LinkStatus.newBuilder()
                .setTransport("quic")
                .setFabricClass("QUIC")
                .setBandwidthBytesPerSecond(12_500_000_000L)
                .setRtt(Duration.newBuilder().setNanos(1_500_000))
                .setState(LinkState.LINK_STATE_ESTABLISHED)
                .addFallbackReasons("nvlink: different hosts")
                .addFallbackReasons("rdma: no shared provider")))
        .setRevision(15)
        .build();
  }

  /** Replicas on node1 (GPUs 0 and 1) and node2 (GPU 0), node2 cordoned; revision 9. */
  public static Placement replicas() {
    return Placement.newBuilder()
        .setName("llama-replicas")
        .setModel("meta-llama/Llama-3.1-8B-Instruct")
        .addReplicas(Replica.newBuilder().setNodeId("node1").addGpuIndexes(0).addGpuIndexes(1))
        .addReplicas(Replica.newBuilder().setNodeId("node2").addGpuIndexes(0))
        .addCordonedNodes("node2")
        .setRevision(9)
        .build();
  }

  /** One of the documents under {@code src/test/resources/examples/}. */
  public static Path example(String fileName) {
    try {
      return Paths.get(TestDocuments.class.getResource("/examples/" + fileName).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
