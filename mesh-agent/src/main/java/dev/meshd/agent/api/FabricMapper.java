package dev.meshd.agent.api;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.LibfabricProvider;
import dev.meshd.core.fabric.NodeFabric;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import dev.meshd.proto.v1.Fabric;

/**
 * Maps a node's {@link NodeFabric} to the {@code meshd.v1.Fabric} wire type. NVLink lanes stay
 * in the capability record: the contract has no field for them yet. Stateless.
 */
public final class FabricMapper {

  private FabricMapper() {}

  public static Fabric toFabric(NodeFabric fabric) {
    FabricInventory inventory = fabric.inventory();
    Fabric.Builder b = Fabric.newBuilder()
        .addAllClasses(fabric.fabricClasses().stream().map(FabricClass::name).toList())
        .addAllRdmaPorts(inventory.rdmaPorts().stream().map(FabricMapper::toRdmaPort).toList())
        .addAllLibfabricProviders(
            inventory.libfabricProviders().stream().map(FabricMapper::toProvider).toList())
        .addAllGpuPeerLinks(
            inventory.gpuPeerLinks().stream().map(FabricMapper::toPeerLink).toList())
        .addAllReasons(inventory.reasons());
    fabric.quicEndpoint().ifPresent(quic -> b.setQuic(toQuic(quic)));
    return b.build();
  }

  static Fabric.RdmaPort toRdmaPort(RdmaPort port) {
    return Fabric.RdmaPort.newBuilder()
        .setDevice(port.device())
        .setPort(port.port())
        .setState(toState(port.state()))
        .setLinkLayer(port.linkLayer().label())
        .setRateGbps(port.rateGbps())
        .setPhysState(port.physState())
        .build();
  }

  static Fabric.RdmaPortState toState(RdmaPortState state) {
    return switch (state) {
      case NOP -> Fabric.RdmaPortState.RDMA_PORT_STATE_NOP;
      case DOWN -> Fabric.RdmaPortState.RDMA_PORT_STATE_DOWN;
      case INIT -> Fabric.RdmaPortState.RDMA_PORT_STATE_INIT;
      case ARMED -> Fabric.RdmaPortState.RDMA_PORT_STATE_ARMED;
      case ACTIVE -> Fabric.RdmaPortState.RDMA_PORT_STATE_ACTIVE;
      case ACTIVE_DEFER -> Fabric.RdmaPortState.RDMA_PORT_STATE_ACTIVE_DEFER;
    };
  }

  static Fabric.LibfabricProvider toProvider(LibfabricProvider provider) {
    return Fabric.LibfabricProvider.newBuilder()
        .setName(provider.name())
        .setFabric(provider.fabric())
        .setDomain(provider.domain())
        .setEndpointType(provider.endpointType())
        .setFabricClass(provider.fabricClass().name())
        .build();
  }

  static Fabric.GpuPeerLink toPeerLink(GpuPeerLink link) {
    return Fabric.GpuPeerLink.newBuilder()
        .setGpuA(link.gpuA())
        .setGpuB(link.gpuB())
        .setKind(toKind(link.kind()))
        .setLinkCount(link.linkCount())
        .build();
  }

  static Fabric.GpuLinkKind toKind(GpuLinkKind kind) {
    return switch (kind) {
      case NVLINK -> Fabric.GpuLinkKind.GPU_LINK_KIND_NVLINK;
      case XGMI -> Fabric.GpuLinkKind.GPU_LINK_KIND_XGMI;
      case PIX -> Fabric.GpuLinkKind.GPU_LINK_KIND_PIX;
      case PXB -> Fabric.GpuLinkKind.GPU_LINK_KIND_PXB;
      case PHB -> Fabric.GpuLinkKind.GPU_LINK_KIND_PHB;
      case NODE -> Fabric.GpuLinkKind.GPU_LINK_KIND_NODE;
      case SYS -> Fabric.GpuLinkKind.GPU_LINK_KIND_SYS;
      case PCIE -> Fabric.GpuLinkKind.GPU_LINK_KIND_PCIE;
    };
  }

  static Fabric.QuicEndpoint toQuic(QuicEndpoint quic) {
    String host = quic.host().contains(":") ? "[" + quic.host() + "]" : quic.host();
    return Fabric.QuicEndpoint.newBuilder()
        .setAddress(host + ":" + quic.port())
        .setCertificateSha256(quic.certificateSha256())
        .build();
  }
}
