package dev.meshd.gossip;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.config.GossipProfile;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Several gossip agents in one JVM on free loopback ports, with fault injection. The first agent
 * is every other agent's seed. Closing the cluster stops every agent.
 */
final class GossipTestCluster implements AutoCloseable {

  static final ClusterKey KEY = ClusterKey.generate(new SecureRandom());

  private final List<Node> nodes = new ArrayList<>();

  record Node(GossipAgent agent, FaultyTransport[] transport, SimpleMeterRegistry registry) {
    void crash() {
      transport[0].isolate();
    }
  }

  /** Starts an agent named {@code nodeId} with {@code gpus} simulated GPUs, joined to node 0. */
  Node start(String nodeId, int gpus, Optional<ClusterKey> key) {
    List<HostPort> seeds =
        nodes.isEmpty() ? List.of() : List.of(HostPort.parse(nodes.getFirst().agent.address()));
    return start(nodeId, gpus, key, new HostPort("127.0.0.1", FreePorts.loopback()), seeds);
  }

  /** Starts an agent on {@code listen} that joins through {@code seeds}. */
  Node start(String nodeId, int gpus, Optional<ClusterKey> key, HostPort listen,
      List<HostPort> seeds) {
    FaultyTransport[] transport = new FaultyTransport[1];
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GossipAgent agent =
        GossipAgent.builder()
            .listen(listen)
            .seeds(seeds)
            .tuning(GossipProfile.LOCAL.tuning())
            .record(record(nodeId, listen, gpus, 1))
            .clusterKey(key)
            .meterRegistry(registry)
            .retention(Duration.ofMinutes(5))
            .transportDecorator(t -> transport[0] = new FaultyTransport(t))
            .build();
    Node node = new Node(agent, transport, registry);
    nodes.add(node);
    try {
      agent.start().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("agent " + nodeId + " did not start", e);
    }
    return node;
  }

  Node start(String nodeId, int gpus) {
    return start(nodeId, gpus, Optional.of(KEY));
  }

  static CapabilityRecord record(String nodeId, HostPort gossip, int gpuCount, long version) {
    List<GpuInfo> gpus = new ArrayList<>();
    for (int i = 0; i < gpuCount; i++) {
      gpus.add(new GpuInfo(i, "GPU-" + nodeId + "-" + i, "H100-80GB", 80_000_000_000L, 0, 0.0,
          "", true, GpuSource.SIMULATED));
    }
    return new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, nodeId, "host-" + nodeId, "z1",
        "r1", Map.of("team", "infra"), Set.of("gpu"), "test", version, "127.0.0.1:1",
        gossip.toString(), "127.0.0.1:2", gpus, List.of());
  }

  @Override
  public void close() {
    for (Node node : nodes.reversed()) {
      node.agent.leave(Duration.ofSeconds(2));
    }
  }
}
