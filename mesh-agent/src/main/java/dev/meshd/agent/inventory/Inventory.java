package dev.meshd.agent.inventory;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.gpu.GpuDiscovery;
import dev.meshd.core.gpu.GpuProbe;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds this node's {@link CapabilityRecord} from its config and what its probes find.
 *
 * <p>The first record's version is the start time in milliseconds, so a restarted agent's
 * records are still newer than its previous life's; later changes add one. Thread-safe (no
 * mutable state).
 */
public final class Inventory {

  private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);

  private final AgentConfig config;
  private final GpuProbe gpuProbe;
  private final String agentVersion;
  private final Clock clock;

  public Inventory(AgentConfig config, GpuProbe gpuProbe, String agentVersion, Clock clock) {
    this.config = config;
    this.gpuProbe = gpuProbe;
    this.agentVersion = agentVersion;
    this.clock = clock;
  }

  /**
   * Probes the GPUs and builds the record this agent starts with; its fabric part says that
   * discovery has not finished yet.
   */
  public CapabilityRecord initialRecord() {
    GpuDiscovery discovery = gpuProbe.discover();
    switch (discovery.status()) {
      case FOUND -> LOG.info("gpus: {} found by {} {}", discovery.gpus().size(), gpuProbe.name(),
          discovery.detail().isEmpty() ? "" : "(" + discovery.detail() + ")");
      case ABSENT -> LOG.info("gpus: none ({})", discovery.detail());
      case FAILED -> LOG.warn("gpus: probe {} failed: {}", gpuProbe.name(), discovery.detail());
    }
    var node = config.node();
    var listen = config.listen();
    return new CapabilityRecord(
        CapabilityRecord.SCHEMA_VERSION,
        node.id(),
        node.hostId(),
        node.zone(),
        node.region(),
        node.labels(),
        node.roles().stream().map(Role::configName).collect(Collectors.toSet()),
        agentVersion,
        clock.millis(),
        listen.grpc().toString(),
        listen.gossip().toString(),
        listen.metrics().toString(),
        discovery.gpus(),
        runtimes(),
        // Filled by the FabricRefresher, off the start path: a tool may take seconds.
        FabricRefresher.PENDING);
  }

  /**
   * Reads the GPUs again: the current GPUs, or empty when the probe did not find them this time
   * (the caller keeps what it had: a flaky driver call must not make GPUs vanish from the fleet).
   */
  public Optional<List<GpuInfo>> readGpus() {
    GpuDiscovery discovery = gpuProbe.discover();
    if (discovery.status() != GpuDiscovery.Status.FOUND) {
      LOG.debug("gpus: refresh by {} gave {}: {}", gpuProbe.name(), discovery.status(),
          discovery.detail());
      return Optional.empty();
    }
    return Optional.of(discovery.gpus());
  }

  private List<RuntimeInfo> runtimes() {
    return config.runtimes().stream()
        .map(r -> new RuntimeInfo(r.kind(), r.endpoint().toString(), r.models()))
        .toList();
  }
}
