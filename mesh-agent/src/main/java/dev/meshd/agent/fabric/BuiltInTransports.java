package dev.meshd.agent.fabric;

import dev.meshd.core.config.FabricConfig;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.quic.QuicStageTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stage transports this build of the agent implements, for the groups of {@code
 * fabric.order}: QUIC (needs the agent's {@link QuicPlane}, started with the agent). The libfabric
 * and NVLink transports plug in here as adapters to {@link StageTransport} when they land. An
 * agent whose order names none of them answers every negotiation and probe with
 * FAILED_PRECONDITION and {@link #reason}, rather than pretending. Stateless.
 */
public final class BuiltInTransports {

  /** The groups built in, in {@code fabric.order}'s vocabulary. */
  public static final List<String> GROUPS = List.of(QuicStageTransport.GROUP);

  private BuiltInTransports() {}

  /** The transports for {@code config}'s order, in any order (the negotiator orders them). */
  public static List<StageTransport> forConfig(FabricConfig config, Optional<QuicPlane> quic) {
    List<StageTransport> transports = new ArrayList<>();
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
