package dev.meshd.cli.testing;

import com.google.protobuf.Timestamp;
import dev.meshd.proto.v1.Fabric;
import dev.meshd.proto.v1.Gpu;
import dev.meshd.proto.v1.GpuSource;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeState;
import dev.meshd.proto.v1.Runtime;
import dev.meshd.proto.v1.RuntimeKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Three nodes that together cover every column: simulated and real GPUs, no GPUs, an empty zone
 * and roles, first_seen present and absent. Times are relative to {@link CliRunner#NOW}.
 */
public final class TestNodes {

  /** H100-80GB as DESIGN's simulated example: 80 decimal GB, so 74.5 GiB. */
  static final long H100_BYTES = 80_000_000_000L;
  static final long GIB = 1L << 30;

  private TestNodes() {}

  /** ALIVE, 8 simulated H100s with nothing used, first seen 45 s ago; every field set. */
  public static Node nodeA() {
    Node.Builder node =
        Node.newBuilder()
            .setId("node-a")
            .setHostId("host-a")
            .setAddress("127.0.0.1:7070")
            .setGossipAddress("127.0.0.1:7946")
            .setMetricsAddress("127.0.0.1:9464")
            .setZone("z1")
            .setRegion("r1")
            .putLabels("tier", "gold")
            .putLabels("rack", "r7")
            .addRoles("gpu")
            .addRoles("router")
            .setState(NodeState.NODE_STATE_ALIVE)
            .setAgentVersion("0.1.0")
            .setRecordVersion(7)
            .setLastUpdated(ago(Duration.ofSeconds(5)))
            .setFirstSeen(ago(Duration.ofSeconds(45)))
            .setStateSince(ago(Duration.ofSeconds(40)))
            // A laptop's fabric: nothing to offer, and why.
            .setFabric(Fabric.newBuilder()
                .addReasons("no /sys/class/infiniband")
                .addReasons("nvidia-smi not found on PATH")
                .addReasons("rocm-smi not found on PATH"))
            .addRuntimes(
                Runtime.newBuilder()
                    .setKind(RuntimeKind.RUNTIME_KIND_VLLM)
                    .setEndpoint("http://127.0.0.1:8000")
                    .addModels("llama-3.1-8b")
                    .addModels("qwen2.5-7b"));
    for (int i = 0; i < 8; i++) {
      node.addGpus(
          Gpu.newBuilder()
              .setIndex(i)
              .setUuid("GPU-sim-" + i)
              .setModel("H100-80GB")
              .setVramTotalBytes(H100_BYTES)
              .setHealthy(true)
              .setSource(GpuSource.GPU_SOURCE_SIMULATED));
    }
    return node.build();
  }

  /**
   * SUSPECT, two real GPUs half full (over the host bridge, no NVLink), one RoCE port and a
   * QUIC endpoint, first seen 3 min 12 s ago.
   */
  public static Node nodeB() {
    Node.Builder node =
        Node.newBuilder()
            .setId("node-b")
            .setHostId("host-b")
            .setZone("z2")
            .addRoles("control")
            .setState(NodeState.NODE_STATE_SUSPECT)
            .setFirstSeen(ago(Duration.ofMinutes(3).plusSeconds(12)))
            .setFabric(fabricB());
    for (int i = 0; i < 2; i++) {
      node.addGpus(
          Gpu.newBuilder()
              .setIndex(i)
              .setUuid("GPU-real-" + i)
              .setModel("L4")
              .setVramTotalBytes(24 * GIB)
              .setVramUsedBytes(6 * GIB)
              .setUtilization(0.37)
              .setMigProfile(i == 1 ? "1g.6gb" : "")
              .setHealthy(i == 0)
              .setSource(GpuSource.GPU_SOURCE_NVML));
    }
    return node.build();
  }

  /** Node B's fabric: RoCE through verbs, libfabric tcp, QUIC; two GPUs over PCIe. */
  public static Fabric fabricB() {
    return Fabric.newBuilder()
        .addClasses("RDMA_ROCE")
        .addClasses("LIBFABRIC_TCP")
        .addClasses("QUIC")
        .addRdmaPorts(Fabric.RdmaPort.newBuilder().setDevice("mlx5_0").setPort(1)
            .setState(Fabric.RdmaPortState.RDMA_PORT_STATE_ACTIVE).setPhysState("LinkUp")
            .setLinkLayer("Ethernet").setRateGbps(100))
        .addRdmaPorts(Fabric.RdmaPort.newBuilder().setDevice("mlx5_1").setPort(1)
            .setState(Fabric.RdmaPortState.RDMA_PORT_STATE_DOWN).setPhysState("Disabled")
            .setLinkLayer("Ethernet").setRateGbps(2.5))
        .addLibfabricProviders(Fabric.LibfabricProvider.newBuilder().setName("verbs;ofi_rxm")
            .setFabric("fe80::/64").setDomain("mlx5_0").setEndpointType("FI_EP_RDM")
            .setFabricClass("RDMA_ROCE"))
        .addLibfabricProviders(Fabric.LibfabricProvider.newBuilder().setName("tcp")
            .setFabric("10.0.0.0/24").setDomain("eth0").setEndpointType("FI_EP_MSG")
            .setFabricClass("LIBFABRIC_TCP"))
        .addGpuPeerLinks(Fabric.GpuPeerLink.newBuilder().setGpuA(0).setGpuB(1)
            .setKind(Fabric.GpuLinkKind.GPU_LINK_KIND_PHB))
        .setQuic(Fabric.QuicEndpoint.newBuilder().setAddress("10.0.0.12:7072")
            .setCertificateSha256("0123456789abcdef".repeat(4)))
        .addReasons("rocm-smi not found on PATH")
        .build();
  }

  /** DEAD, no GPUs, no zone or roles; only last_updated, 3 days 4 hours ago. */
  public static Node nodeC() {
    return Node.newBuilder()
        .setId("node-c")
        .setState(NodeState.NODE_STATE_DEAD)
        .setLastUpdated(ago(Duration.ofDays(3).plusHours(4)))
        .build();
  }

  /** The three, out of id order, as a careless agent might send them. */
  public static List<Node> threeUnsorted() {
    return List.of(nodeC(), nodeA(), nodeB());
  }

  public static Timestamp ago(Duration age) {
    Instant at = CliRunner.NOW.minus(age);
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }
}
