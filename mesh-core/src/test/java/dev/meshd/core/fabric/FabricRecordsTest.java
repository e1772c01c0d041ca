package dev.meshd.core.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation and derived values of the fabric records. */
class FabricRecordsTest {

  private static RdmaPort ibPort(RdmaPortState state) {
    return new RdmaPort("mlx5_0", 1, state, 5, "LinkUp", 400, LinkLayer.INFINIBAND);
  }

  @Test
  void rdmaPortDerivesBytesAndClass() {
    RdmaPort port = ibPort(RdmaPortState.ACTIVE);
    assertThat(port.rateBytesPerSecond()).isEqualTo(50_000_000_000L);
    assertThat(port.isActive()).isTrue();
    assertThat(port.fabricClass()).contains(FabricClass.RDMA_IB);
    RdmaPort roce = new RdmaPort("mlx5_1", 1, RdmaPortState.DOWN, 3, "Disabled", 2.5,
        LinkLayer.ETHERNET);
    assertThat(roce.fabricClass()).contains(FabricClass.RDMA_ROCE);
    assertThat(roce.rateBytesPerSecond()).isEqualTo(312_500_000L);
    assertThat(LinkLayer.UNSPECIFIED.fabricClass()).isEmpty();
  }

  @Test
  void rdmaPortRejectsWhatCannotBe() {
    assertThatThrownBy(() -> new RdmaPort("mlx5_0", 0, RdmaPortState.ACTIVE, 5, "LinkUp", 1,
        LinkLayer.INFINIBAND)).hasMessage("port: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new RdmaPort(" ", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 1,
        LinkLayer.INFINIBAND)).hasMessageStartingWith("device: blank");
    assertThatThrownBy(() -> new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp",
        Double.NaN, LinkLayer.INFINIBAND)).hasMessageStartingWith("rateGbps: NaN");
    assertThatThrownBy(() -> new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, -1, "", 1,
        LinkLayer.INFINIBAND)).hasMessageStartingWith("physStateCode: -1");
  }

  @Test
  void portStatesKeepTheirVerbsCodes() {
    assertThat(RdmaPortState.ofCode(4)).contains(RdmaPortState.ACTIVE);
    assertThat(RdmaPortState.ofCode(1)).contains(RdmaPortState.DOWN);
    assertThat(RdmaPortState.ofCode(9)).isEmpty();
    assertThat(LinkLayer.ofLabel("Ethernet")).contains(LinkLayer.ETHERNET);
    assertThat(LinkLayer.ofLabel("ethernet")).isEmpty();
  }

  @Test
  void peerLinksAreUndirected() {
    GpuPeerLink link = new GpuPeerLink(3, 1, GpuLinkKind.NVLINK, 6);
    assertThat(link.gpuA()).isEqualTo(1);
    assertThat(link.gpuB()).isEqualTo(3);
    assertThat(link).isEqualTo(new GpuPeerLink(1, 3, GpuLinkKind.NVLINK, 6));
    assertThat(link.isGpuFabric()).isTrue();
    assertThat(new GpuPeerLink(0, 1, GpuLinkKind.PHB, 0).isGpuFabric()).isFalse();
  }

  @Test
  void peerLinkRejectsSelfAndCountsOnPcie() {
    assertThatThrownBy(() -> new GpuPeerLink(2, 2, GpuLinkKind.NVLINK, 1))
        .hasMessage("gpus: 2, 2 (expected: two GPUs)");
    assertThatThrownBy(() -> new GpuPeerLink(0, 1, GpuLinkKind.SYS, 2))
        .hasMessage("linkCount: 2 for SYS (expected: 0 for a PCIe path)");
    assertThatThrownBy(() -> new GpuPeerLink(-1, 1, GpuLinkKind.SYS, 0))
        .hasMessageStartingWith("gpus: -1, 1");
  }

  @Test
  void inactiveLaneHasNoSpeed() {
    assertThat(new NvLinkLane(0, 3, false, 0).active()).isFalse();
    assertThatThrownBy(() -> new NvLinkLane(0, 3, false, 10))
        .hasMessageStartingWith("bytesPerSecond: 10");
  }

  @Test
  void inventoryMergesAndListsItsClasses() {
    FabricInventory rdma = new FabricInventory(
        List.of(ibPort(RdmaPortState.ACTIVE),
            new RdmaPort("mlx5_1", 1, RdmaPortState.DOWN, 3, "Disabled", 100,
                LinkLayer.ETHERNET)),
        List.of(), List.of(), List.of(), List.of());
    FabricInventory gpus = new FabricInventory(List.of(),
        List.of(new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 6),
            new GpuPeerLink(0, 2, GpuLinkKind.SYS, 0)),
        List.of(), List.of(), List.of("rocm-smi not found"));
    FabricInventory libfabric = new FabricInventory(List.of(), List.of(), List.of(),
        List.of(new LibfabricProvider("tcp", "127.0.0.1/32", "lo", "FI_EP_MSG",
            FabricClass.LIBFABRIC_TCP)),
        List.of());

    FabricInventory all = rdma.merge(gpus).merge(libfabric)
        .merge(FabricInventory.absent("no libfabric"));

    assertThat(all.rdmaPorts()).hasSize(2);
    assertThat(all.gpuPeerLinks()).hasSize(2);
    assertThat(all.reasons()).containsExactly("rocm-smi not found", "no libfabric");
    // The down RoCE port and the PCIe path offer nothing.
    assertThat(all.libfabricProviders()).extracting(LibfabricProvider::name).containsExactly("tcp");
    assertThat(all.fabricClasses())
        .containsExactly(FabricClass.NVLINK, FabricClass.RDMA_IB, FabricClass.LIBFABRIC_TCP);
    assertThat(FabricInventory.empty().isEmpty()).isTrue();
    assertThat(FabricInventory.absent("x").isEmpty()).isTrue();
    assertThat(all.isEmpty()).isFalse();
  }

  @Test
  void inventoryRejectsBlankReasons() {
    assertThatThrownBy(() -> FabricInventory.absent(" "))
        .hasMessage("reasons: a blank entry (expected: words)");
    assertThatThrownBy(() -> new FabricInventory(null, List.of(), List.of(), List.of(), List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("rdmaPorts");
  }
}
