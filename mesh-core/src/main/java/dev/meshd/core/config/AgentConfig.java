package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole agent config, validated. Built by {@link ConfigLoader}; every path in it is absolute
 * (resolved against the directory of {@link #source()}).
 *
 * @param source the file it was read from
 * @param router {@code router:}, read by agents with role {@code router}
 */
public record AgentConfig(
    Path source,
    NodeConfig node,
    ListenConfig listen,
    GossipConfig gossip,
    RaftConfig raft,
    GpusConfig gpus,
    List<RuntimeConfig> runtimes,
    FabricConfig fabric,
    TelemetryConfig telemetry,
    SecurityConfig security,
    LoggingConfig logging,
    RouterConfig router) {
  public AgentConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(gossip, "gossip");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(gpus, "gpus");
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    Objects.requireNonNull(fabric, "fabric");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(router, "router");
  }

  /** A config with {@link RouterConfig#defaults()}: for agents built in code (tests, benches). */
  public AgentConfig(Path source, NodeConfig node, ListenConfig listen, GossipConfig gossip,
      RaftConfig raft, GpusConfig gpus, List<RuntimeConfig> runtimes, FabricConfig fabric,
      TelemetryConfig telemetry, SecurityConfig security, LoggingConfig logging) {
    this(source, node, listen, gossip, raft, gpus, runtimes, fabric, telemetry, security, logging,
        RouterConfig.defaults());
  }

  /** A copy with {@code newRouter}. */
  public AgentConfig withRouter(RouterConfig newRouter) {
    return new AgentConfig(source, node, listen, gossip, raft, gpus, runtimes, fabric, telemetry,
        security, logging, newRouter);
  }
}
