package dev.meshd.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.LibfabricProvider;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.NvLinkLane;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import dev.meshd.proto.v1.Fabric;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FabricMapperTest {

  private static final String SHA = "0123456789abcdef".repeat(4);

  private static FabricInventory inventory() {
    return new FabricInventory(
        List.of(new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 400,
                LinkLayer.INFINIBAND),
            new RdmaPort("mlx5_1", 1, RdmaPortState.DOWN, 3, "Disabled", 100,
                LinkLayer.ETHERNET)),
        List.of(new GpuPeerLink(1, 0, GpuLinkKind.NVLINK, 18),
            new GpuPeerLink(0, 2, GpuLinkKind.SYS, 0)),
        List.of(new NvLinkLane(0, 0, true, 26_562_500_000L)),
        List.of(new LibfabricProvider("tcp", "127.0.0.1/32", "lo", "FI_EP_MSG",
            FabricClass.LIBFABRIC_TCP)),
        List.of("rocm-smi not found on PATH"));
  }

  @Test
  void mapsEveryPartOfTheFabric() throws Exception {
    NodeFabric fabric = new NodeFabric(inventory(),
        Optional.of(new QuicEndpoint("10.0.0.11", 7072, SHA)));

    Fabric wire = FabricMapper.toFabric(fabric);

    // Fastest group first; the RoCE port is down so it offers nothing.
    assertThat(wire.getClassesList())
        .containsExactly("NVLINK", "RDMA_IB", "LIBFABRIC_TCP", "QUIC");
    assertThat(wire.getRdmaPorts(0)).isEqualTo(Fabric.RdmaPort.newBuilder()
        .setDevice("mlx5_0").setPort(1).setState(Fabric.RdmaPortState.RDMA_PORT_STATE_ACTIVE)
        .setLinkLayer("InfiniBand").setRateGbps(400).setPhysState("LinkUp").build());
    assertThat(wire.getRdmaPorts(1).getState())
        .isEqualTo(Fabric.RdmaPortState.RDMA_PORT_STATE_DOWN);
    assertThat(wire.getRdmaPorts(1).getLinkLayer()).isEqualTo("Ethernet");
    assertThat(wire.getLibfabricProvidersList()).containsExactly(
        Fabric.LibfabricProvider.newBuilder().setName("tcp").setFabric("127.0.0.1/32")
            .setDomain("lo").setEndpointType("FI_EP_MSG").setFabricClass("LIBFABRIC_TCP")
            .build());
    assertThat(wire.getGpuPeerLinks(0)).isEqualTo(Fabric.GpuPeerLink.newBuilder()
        .setGpuA(0).setGpuB(1).setKind(Fabric.GpuLinkKind.GPU_LINK_KIND_NVLINK)
        .setLinkCount(18).build());
    assertThat(wire.getGpuPeerLinks(1).getKind())
        .isEqualTo(Fabric.GpuLinkKind.GPU_LINK_KIND_SYS);
    assertThat(wire.getQuic().getAddress()).isEqualTo("10.0.0.11:7072");
    assertThat(wire.getQuic().getCertificateSha256()).isEqualTo(SHA);
    assertThat(wire.getReasonsList()).containsExactly("rocm-smi not found on PATH");

    String json = JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(wire);
    assertThat(json).contains("\"state\": \"RDMA_PORT_STATE_ACTIVE\"")
        .contains("\"kind\": \"GPU_LINK_KIND_NVLINK\"")
        .contains("\"certificateSha256\": \"" + SHA + "\"");
  }

  @Test
  void noQuicEndpointMeansNoQuicClassAndNoQuicField() {
    Fabric wire = FabricMapper.toFabric(NodeFabric.of(inventory()));

    assertThat(wire.hasQuic()).isFalse();
    assertThat(wire.getClassesList()).doesNotContain("QUIC");
  }

  @Test
  void anEmptyFabricIsTheDefaultMessage() {
    assertThat(FabricMapper.toFabric(NodeFabric.empty())).isEqualTo(Fabric.getDefaultInstance());
  }

  @Test
  void anIpv6QuicHostIsBracketed() {
    Fabric wire = FabricMapper.toFabric(NodeFabric.empty()
        .withQuicEndpoint(Optional.of(new QuicEndpoint("fd00::11", 7072, SHA))));

    assertThat(wire.getQuic().getAddress()).isEqualTo("[fd00::11]:7072");
    assertThat(wire.getClassesList()).containsExactly("QUIC");
  }

  @Test
  void everyDomainEnumValueHasAWireValue() {
    for (RdmaPortState state : RdmaPortState.values()) {
      // The wire numbers are the kernel's codes plus one (0 is UNSPECIFIED).
      assertThat(FabricMapper.toState(state).getNumber()).isEqualTo(state.code() + 1);
    }
    for (GpuLinkKind kind : GpuLinkKind.values()) {
      assertThat(FabricMapper.toKind(kind).name()).isEqualTo("GPU_LINK_KIND_" + kind.name());
    }
  }
}
