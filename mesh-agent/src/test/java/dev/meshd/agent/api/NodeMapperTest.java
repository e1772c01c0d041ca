package dev.meshd.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.SignalView;
import dev.meshd.proto.v1.Gpu;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeMapperTest {

  private static final Duration STALE_AFTER = Duration.ofSeconds(2);
  private static final long GB = 1_000_000_000L;

  private final Instant t0 = Instant.parse("2026-11-22T08:00:00Z");

  @Test
  void mapsEveryFieldOfTheRecordAndTheMembership() throws Exception {
    CapabilityRecord record = new CapabilityRecord(1, "node1", "host-a", "z1", "r1",
        Map.of("rack", "7"), Set.of("router", "gpu"), "0.1.0", 42, "127.0.0.1:7070",
        "127.0.0.1:7946", "127.0.0.1:9464",
        List.of(new GpuInfo(3, "GPU-x", "H100", 80_000_000_000L, 1_000L, 0.25, "1g.10gb", true,
            GpuSource.NVIDIA_SMI)),
        List.of(new RuntimeInfo(RuntimeKind.SGLANG, "http://127.0.0.1:30000", List.of("m"))));
    FleetMember member = new FleetMember(record, MemberState.SUSPECT, t0, t0.plusSeconds(5),
        t0.plusSeconds(3));

    Node node = NodeMapper.toNode(member);

    assertThat(node.getId()).isEqualTo("node1");
    assertThat(node.getHostId()).isEqualTo("host-a");
    assertThat(node.getAddress()).isEqualTo("127.0.0.1:7070");
    assertThat(node.getRolesList()).containsExactly("gpu", "router");
    assertThat(node.getState()).isEqualTo(NodeState.NODE_STATE_SUSPECT);
    assertThat(node.getRecordVersion()).isEqualTo(42);
    assertThat(node.getStateSince().getSeconds()).isEqualTo(t0.plusSeconds(3).getEpochSecond());
    assertThat(node.getGpus(0).getIndex()).isEqualTo(3);
    assertThat(node.getGpus(0).getMigProfile()).isEqualTo("1g.10gb");
    assertThat(node.getGpus(0).getUtilization()).isEqualTo(0.25);
    assertThat(node.getRuntimes(0).getEndpoint()).isEqualTo("http://127.0.0.1:30000");
    assertThat(node.hasFabric()).isTrue();
    assertThat(node.getFabric().getClassesList()).isEmpty();

    String json = JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(node);
    assertThat(json).contains("\"recordVersion\": \"42\"")
        .contains("\"source\": \"GPU_SOURCE_NVIDIA_SMI\"")
        .contains("\"kind\": \"RUNTIME_KIND_SGLANG\"");
  }

  @Test
  void mapsTheRecordsFabric() {
    var fabric = dev.meshd.core.fabric.NodeFabric.of(new dev.meshd.core.fabric.FabricInventory(
        List.of(new dev.meshd.core.fabric.RdmaPort("mlx5_0", 1,
            dev.meshd.core.fabric.RdmaPortState.ACTIVE, 5, "LinkUp", 200,
            dev.meshd.core.fabric.LinkLayer.INFINIBAND)),
        List.of(), List.of(), List.of(), List.of("nvidia-smi not found on PATH")));
    CapabilityRecord record = new CapabilityRecord(2, "node1", "host-a", "z1", "r1", Map.of(),
        Set.of("gpu"), "0.1.0", 1, "", "", "", List.of(), List.of(), fabric);

    Node node = NodeMapper.toNode(new FleetMember(record, MemberState.ALIVE, t0, t0, t0));

    assertThat(node.getFabric().getClassesList()).containsExactly("RDMA_IB");
    assertThat(node.getFabric().getRdmaPorts(0).getDevice()).isEqualTo("mlx5_0");
    assertThat(node.getFabric().getReasonsList()).containsExactly("nvidia-smi not found on PATH");
  }

  @Test
  void aDrainedNodeCarriesItsDrainAndOthersDoNot() {
    var drain = dev.meshd.core.policy.NodeDrain.of("node2", "kernel upgrade", t0).withRevision(4);
    var store = dev.meshd.core.policy.StoreSnapshot.EMPTY.apply(
        dev.meshd.core.policy.StoreChange.put(drain));

    Node drained = NodeMapper.toNode(dev.meshd.agent.testing.TestMembers.alive("node2"), store);
    Node other = NodeMapper.toNode(dev.meshd.agent.testing.TestMembers.alive("node1"), store);

    assertThat(drained.getDraining()).isTrue();
    assertThat(drained.getDrainReason()).isEqualTo("kernel upgrade");
    assertThat(drained.getDrainingSince().getSeconds()).isEqualTo(t0.getEpochSecond());
    assertThat(other.getDraining()).isFalse();
    assertThat(other.hasDrainingSince()).isFalse();
  }

  @Test
  void runtimesCarryTheLoadTheAgentHasForThem() {
    CapabilityRecord record = new CapabilityRecord(1, "node1", "host-a", "z1", "r1", Map.of(),
        Set.of("gpu"), "0.1.0", 1, "", "", "", List.of(), List.of(
            new RuntimeInfo(RuntimeKind.VLLM, "http://127.0.0.1:8001", List.of("a", "b")),
            new RuntimeInfo(RuntimeKind.VLLM, "http://127.0.0.1:8002", List.of("c"))));
    FleetMember member = new FleetMember(record, MemberState.ALIVE, t0, t0, t0);
    var load = dev.meshd.core.signal.RuntimeSignal.healthy(RuntimeKind.VLLM,
        "http://127.0.0.1:8001", List.of(
            new dev.meshd.core.signal.ModelLoad("a", 3, 1, java.util.OptionalDouble.empty()),
            new dev.meshd.core.signal.ModelLoad("b", 2, 2, java.util.OptionalDouble.of(0.5))),
        t0);
    dev.meshd.core.signal.SignalView signals = node -> node.equals("node1")
        ? List.of(new dev.meshd.core.signal.AgedSignal(load, java.time.Duration.ofMillis(250)))
        : List.of();

    Node node = NodeMapper.toNode(member, dev.meshd.core.policy.StoreSnapshot.EMPTY, signals,
        STALE_AFTER);

    assertThat(node.getRuntimes(0).getStatus().getHealthy()).isTrue();
    assertThat(node.getRuntimes(0).getStatus().getQueueDepth()).isEqualTo(5);
    assertThat(node.getRuntimes(0).getStatus().getRunningRequests()).isEqualTo(3);
    assertThat(node.getRuntimes(0).getStatus().getAge().getNanos()).isEqualTo(250_000_000);
    assertThat(node.getRuntimes(1).hasStatus()).as("no signal for that runtime").isFalse();
  }

  @Test
  void gpusShowAFreshReadingOverTheRecordsFiguresAndTheRecordsOtherwise() {
    GpuInfo recorded = new GpuInfo(0, "GPU-0", "H100", 80 * GB, 10 * GB, 0.10, "1g.10gb", true,
        GpuSource.NVML);
    CapabilityRecord record = new CapabilityRecord(1, "node1", "host-a", "z1", "r1", Map.of(),
        Set.of("gpu"), "0.1.0", 1, "", "", "", List.of(recorded), List.of());
    FleetMember member = new FleetMember(record, MemberState.ALIVE, t0, t0, t0);
    AtomicReference<Duration> age = new AtomicReference<>(Duration.ofSeconds(1));
    SignalView signals = new SignalView() {
      @Override
      public List<AgedSignal> signals(String nodeId) {
        return List.of();
      }

      @Override
      public List<AgedGpuSignal> gpus(String nodeId) {
        return List.of(new AgedGpuSignal(new GpuSignal(0, "GPU-0", 60 * GB, 80 * GB, 0.90, true,
            Duration.ofSeconds(5), t0), age.get()));
      }
    };

    Gpu fresh = NodeMapper.toNode(member, StoreSnapshot.EMPTY, signals, STALE_AFTER).getGpus(0);
    assertThat(fresh.getVramUsedBytes()).isEqualTo(60 * GB);
    assertThat(fresh.getUtilization()).isEqualTo(0.90);
    assertThat(fresh.getModel()).isEqualTo("H100");
    assertThat(fresh.getMigProfile()).isEqualTo("1g.10gb");

    age.set(Duration.ofSeconds(8)); // 2 s past the next reading's due time, plus 1 s
    Gpu stale = NodeMapper.toNode(member, StoreSnapshot.EMPTY, signals, STALE_AFTER).getGpus(0);
    assertThat(stale.getVramUsedBytes()).isEqualTo(10 * GB);
    assertThat(stale.getUtilization()).isEqualTo(0.10);
  }
}
