package dev.meshd.core.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeFabricTest {

  private static final QuicEndpoint QUIC =
      new QuicEndpoint("10.0.0.11", 7072, "ab".repeat(32));

  private static FabricInventory nvlinkAndDownPort() {
    return new FabricInventory(
        List.of(new RdmaPort("mlx5_0", 1, RdmaPortState.DOWN, 3, "Disabled", 200,
            LinkLayer.INFINIBAND)),
        List.of(new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 18)),
        List.of(),
        List.of(new LibfabricProvider("tcp", "127.0.0.1/32", "lo", "FI_EP_MSG",
            FabricClass.LIBFABRIC_TCP)),
        List.of());
  }

  @Test
  void classesAreTheInventorysPlusQuicOnlyWithAnEndpoint() {
    NodeFabric withoutQuic = NodeFabric.of(nvlinkAndDownPort());
    NodeFabric withQuic = withoutQuic.withQuicEndpoint(Optional.of(QUIC));

    // The port is down, so no RDMA class; declaration order, fastest first.
    assertThat(withoutQuic.fabricClasses())
        .containsExactly(FabricClass.NVLINK, FabricClass.LIBFABRIC_TCP);
    assertThat(withQuic.fabricClasses())
        .containsExactly(FabricClass.NVLINK, FabricClass.LIBFABRIC_TCP, FabricClass.QUIC);
  }

  @Test
  void absentPartsReadAsEmpty() {
    NodeFabric fabric = new NodeFabric(null, null);

    assertThat(fabric).isEqualTo(NodeFabric.empty());
    assertThat(fabric.fabricClasses()).isEmpty();
  }

  @Test
  void aRecordWithoutFabricHasAnEmptyOneAndWithFabricBumpsTheVersion() {
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, "n1", "h",
        "z", "r", Map.of(), Set.of(), "0.1.0", 7, "", "", "", List.of(), List.of());

    CapabilityRecord updated = record.withFabric(NodeFabric.of(nvlinkAndDownPort()));

    assertThat(record.fabric()).isEqualTo(NodeFabric.empty());
    assertThat(updated.recordVersion()).isEqualTo(8);
    assertThat(updated.fabric().inventory()).isEqualTo(nvlinkAndDownPort());
    assertThat(updated.withGpus(List.of()).fabric()).isEqualTo(updated.fabric());
    assertThat(updated.withRuntimes(List.of()).fabric()).isEqualTo(updated.fabric());
  }
}
