package dev.meshd.agent;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.FabricConfig;
import dev.meshd.core.config.GossipConfig;
import dev.meshd.core.config.GossipProfile;
import dev.meshd.core.config.GpuSourceSetting;
import dev.meshd.core.config.GpusConfig;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.ListenConfig;
import dev.meshd.core.config.LoggingConfig;
import dev.meshd.core.config.NodeConfig;
import dev.meshd.core.config.RaftConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.config.TelemetryConfig;
import dev.meshd.core.gpu.GpuDiscovery;
import dev.meshd.core.gpu.GpuProbe;
import dev.meshd.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Agent configs for in-process tests: loopback, free ports, local gossip profile. */
final class TestConfigs {

  private TestConfigs() {}

  static AgentConfig agent(String nodeId, Path dir, List<HostPort> seeds,
      Optional<Path> clusterKey) {
    HostPort gossip = new HostPort("127.0.0.1", FreePorts.loopback());
    return new AgentConfig(
        dir.resolve(nodeId + ".yaml"),
        new NodeConfig(nodeId, "host-" + nodeId, "z1", "r1", Map.of(),
            Set.of(Role.GPU, Role.CONTROL)),
        new ListenConfig(new HostPort("127.0.0.1", FreePorts.loopback()), gossip, new HostPort("127.0.0.1", FreePorts.loopback()), new HostPort("127.0.0.1", FreePorts.loopback()), new HostPort("127.0.0.1", FreePorts.loopback()), new HostPort("127.0.0.1", FreePorts.loopback())),
        new GossipConfig(seeds, GossipProfile.LOCAL, GossipProfile.LOCAL.tuning()),
        new RaftConfig(dir.resolve("data/" + nodeId), List.of()),
        new GpusConfig(GpuSourceSetting.SIMULATED, List.of(), Path.of("nvidia-smi"),
            "libnvidia-ml.so.1", Duration.ofMillis(200), Duration.ofSeconds(5)),
        List.of(),
        new FabricConfig(null, null),
        new TelemetryConfig(Optional.empty(), "meshd"),
        new SecurityConfig(Optional.empty(), Optional.empty(), clusterKey),
        new LoggingConfig("info", "text"));
  }

  /** A probe that reports {@code count} GPUs with the usage the test sets. */
  static final class FakeGpus implements GpuProbe {
    private final int count;
    volatile long usedBytes;
    volatile double utilization;

    FakeGpus(int count) {
      this.count = count;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public GpuDiscovery discover() {
      List<GpuInfo> gpus = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        gpus.add(new GpuInfo(i, "GPU-fake-" + i, "H100-80GB", 80_000_000_000L, usedBytes,
            utilization, "", true, GpuSource.SIMULATED));
      }
      return GpuDiscovery.found(gpus, "fake");
    }
  }
}
