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
import dev.meshd.core.config.RaftPeer;
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

  /** A gpu-only agent (no Raft voter): forwards policy calls to a control agent. */
  static AgentConfig agent(String nodeId, Path dir, List<HostPort> seeds,
      Optional<Path> clusterKey) {
    return config(nodeId, dir, seeds, Set.of(Role.GPU), loopbackListen(), List.of(),
        new SecurityConfig(Optional.empty(), Optional.empty(), clusterKey));
  }

  /**
   * {@code n} control agents that form one Raft group (ids {@code c1..cn}); the first is every
   * other's gossip seed.
   */
  static List<AgentConfig> controlGroup(int n, Path dir, SecurityConfig security) {
    List<ListenConfig> listens = new ArrayList<>();
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ListenConfig listen = loopbackListen();
      listens.add(listen);
      peers.add(new RaftPeer("c" + i, listen.raft()));
    }
    List<AgentConfig> configs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      List<HostPort> seeds = i == 1 ? List.of() : List.of(listens.get(0).gossip());
      configs.add(config("c" + i, dir, seeds, Set.of(Role.GPU, Role.CONTROL),
          listens.get(i - 1), peers, security));
    }
    return configs;
  }

  /** {@code config} with {@code fabric.order} = {@code order}. */
  static AgentConfig withFabricOrder(AgentConfig config, List<String> order) {
    return withFabric(config, order, null);
  }

  /** {@code config} with {@code fabric.order} = {@code order}, {@code fabric.rdma.provider}. */
  static AgentConfig withFabric(AgentConfig config, List<String> order, String rdmaProvider) {
    return new AgentConfig(config.source(), config.node(), config.listen(), config.gossip(),
        config.raft(), config.gpus(), config.runtimes(), new FabricConfig(order, rdmaProvider),
        config.telemetry(), config.security(), config.logging());
  }

  /** A gpu-only agent that joins through {@code seed}, with {@code security}. */
  static AgentConfig member(String nodeId, Path dir, HostPort seed, SecurityConfig security) {
    return memberOf(nodeId, dir, List.of(seed), security);
  }

  /** A gpu-only agent with these gossip seeds (none for the first), with {@code security}. */
  static AgentConfig memberOf(String nodeId, Path dir, List<HostPort> seeds,
      SecurityConfig security) {
    return config(nodeId, dir, seeds, Set.of(Role.GPU), loopbackListen(), List.of(), security);
  }

  private static AgentConfig config(String nodeId, Path dir, List<HostPort> seeds,
      Set<Role> roles, ListenConfig listen, List<RaftPeer> peers, SecurityConfig security) {
    return new AgentConfig(
        dir.resolve(nodeId + ".yaml"),
        new NodeConfig(nodeId, "host-" + nodeId, "z1", "r1", Map.of(), roles),
        listen,
        new GossipConfig(seeds, GossipProfile.LOCAL, GossipProfile.LOCAL.tuning()),
        new RaftConfig(dir.resolve("data/" + nodeId), peers),
        new GpusConfig(GpuSourceSetting.SIMULATED, List.of(), Path.of("nvidia-smi"),
            "libnvidia-ml.so.1", Duration.ofMillis(200), Duration.ofSeconds(5),
            // Usage changes reach other agents' records within a test's patience.
            Duration.ofMillis(200)),
        List.of(),
        new FabricConfig(null, null),
        new TelemetryConfig(Optional.empty(), "meshd"),
        security,
        new LoggingConfig("info", "text"));
  }

  private static ListenConfig loopbackListen() {
    return new ListenConfig(loopback(), loopback(), loopback(), loopback(), loopback(),
        loopback());
  }

  private static HostPort loopback() {
    return new HostPort("127.0.0.1", FreePorts.loopback());
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
