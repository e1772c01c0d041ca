package dev.meshd.agent.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.QuicEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What renegotiates a link: fabric facts, not the figures a record republishes every few s. */
class FabricIdentityTest {

  private static final CapabilityRecord NODE = new CapabilityRecord(
      CapabilityRecord.SCHEMA_VERSION, "node1", "host-a", "z1", "r1", Map.of(), Set.of("gpu"),
      "test", 1, "127.0.0.1:7070", "", "", List.of(), List.of())
      .withFabric(NodeFabric.of(FabricInventory.absent("no /sys/class/infiniband"))
          .withQuicEndpoint(Optional.of(new QuicEndpoint("127.0.0.1", 7072, "a".repeat(64)))));

  @Test
  void gpuFiguresAndReasonsDoNotChangeIt() {
    CapabilityRecord busier = NODE.withGpus(List.of(new GpuInfo(0, "GPU-0", "H100-80GB",
        80L << 30, 40L << 30, 0.9, "", true, GpuSource.SIMULATED)));
    CapabilityRecord otherWords = NODE.withFabric(NodeFabric.of(
        FabricInventory.absent("nvidia-smi not found on PATH"))
        .withQuicEndpoint(NODE.fabric().quicEndpoint()));

    assertThat(FabricIdentity.of(busier)).isEqualTo(FabricIdentity.of(NODE));
    assertThat(FabricIdentity.of(otherWords)).isEqualTo(FabricIdentity.of(NODE));
  }

  @Test
  void aNewCertificateOrAddressChangesIt() {
    CapabilityRecord newCertificate = NODE.withFabric(NODE.fabric().withQuicEndpoint(
        Optional.of(new QuicEndpoint("127.0.0.1", 7072, "b".repeat(64)))));

    assertThat(FabricIdentity.of(newCertificate)).isNotEqualTo(FabricIdentity.of(NODE));
  }
}
