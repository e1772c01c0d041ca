package dev.meshd.agent.fabric;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.FabricConfig;
import dev.meshd.fabric.libfabric.LibfabricTcpTransport;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.libfabric.LinkLayerLookup;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.nvlink.NvlinkProbe;
import dev.meshd.fabric.nvlink.NvlinkStageTransport;
import dev.meshd.fabric.quic.QuicStageTransport;
import dev.meshd.fabric.rdma.RdmaStageTransport;
import dev.meshd.fabric.rdma.RdmaTransportConfig;
import dev.meshd.fabric.xgmi.XgmiProbe;
import dev.meshd.fabric.xgmi.XgmiStageTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stage transports this build of the agent implements, for the groups of {@code
 * fabric.order}: NVLink between two stages on one host (the CUDA driver's peer copies; a node
 * without the driver says so as the try's reason), XGMI likewise between two AMD GPUs of one host
 * (the HIP runtime's peer copies; a node without ROCm says so), RDMA over the libfabric provider
 * both ends have ({@code fabric.rdma.provider}; RMA writes into registered memory; a node without
 * an RDMA provider says so), libfabric over its {@code tcp} provider (FFM; likewise without
 * {@code libfabric.so.1} or the provider) and QUIC (needs the agent's {@link QuicPlane}, started
 * with the agent). An agent whose order names none of them answers every negotiation and probe with
 * FAILED_PRECONDITION and {@link #reason}, rather than pretending. Stateless.
 */
public final class BuiltInTransports {

  /** The groups built in, in {@code fabric.order}'s vocabulary. */
  public static final List<String> GROUPS = List.of(NvlinkStageTransport.GROUP,
      XgmiStageTransport.GROUP, RdmaStageTransport.GROUP, LibfabricTcpTransport.GROUP,
      QuicStageTransport.GROUP);

  private BuiltInTransports() {}

  /** The transports for {@code config}'s order, in any order (the negotiator orders them). */
  public static List<StageTransport> forConfig(AgentConfig agent, Optional<QuicPlane> quic) {
    FabricConfig config = agent.fabric();
    List<StageTransport> transports = new ArrayList<>();
    if (config.order().contains(NvlinkStageTransport.GROUP)) {
      transports.add(new NvlinkStageTransport(NvlinkProbe.system()));
    }
    if (config.order().contains(XgmiStageTransport.GROUP)) {
      transports.add(new XgmiStageTransport(XgmiProbe.system()));
    }
    // Endpoints open on the fabric listen address: the address peers reach this host at.
    LibfabricTransportConfig endpoints = LibfabricTransportConfig.loopback()
        .withNode(agent.listen().fabric().host());
    if (config.order().contains(RdmaStageTransport.GROUP)) {
      transports.add(new RdmaStageTransport(
          RdmaTransportConfig.forSetting(config.rdmaProvider(), endpoints),
          LinkLayerLookup.sysfs(Path.of("/sys"))));
    }
    if (config.order().contains(LibfabricTcpTransport.GROUP)) {
      transports.add(new LibfabricTcpTransport(endpoints));
    }
    if (config.order().contains(QuicStageTransport.GROUP)) {
      quic.ifPresent(plane -> transports.add(plane.transport()));
    }
    return List.copyOf(transports);
  }

  /** Why {@link #forConfig} has nothing for {@code config}, in words. */
  public static String reason(FabricConfig config) {
    return "fabric.order [" + String.join(", ", config.order()) + "] names none of the stage "
        + "transports this agent implements (" + String.join(", ", GROUPS) + ")";
  }
}
