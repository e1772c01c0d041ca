package dev.meshd.agent.fabric;

import dev.meshd.core.config.FabricConfig;
import dev.meshd.fabric.negotiate.StageTransport;
import java.util.List;

/**
 * The stage transports this build of the agent implements, for the groups of {@code
 * fabric.order}. None yet: the QUIC, libfabric and NVLink transports plug in here (each an
 * adapter to {@link StageTransport}) as they land. Until then an agent answers every negotiation
 * and probe with FAILED_PRECONDITION and {@link #reason}, rather than pretending. Stateless.
 */
public final class BuiltInTransports {

  private BuiltInTransports() {}

  /** The transports for {@code config}'s order, in any order (the negotiator orders them). */
  public static List<StageTransport> forConfig(FabricConfig config) {
    return List.of();
  }

  /** Why {@link #forConfig} has nothing for {@code config}, in words. */
  public static String reason(FabricConfig config) {
    return "fabric.order [" + String.join(", ", config.order()) + "] names no group this agent "
        + "implements yet (the QUIC, libfabric and NVLink stage transports are not built in)";
  }
}
