package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.fabric.libfabric.LibfabricDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents with their built-in transports in one JVM: a pipelined placement across them gets
 * its stage link negotiated by the upstream agent over a real QUIC connection on loopback (the
 * payload verified by CRC32C, the bandwidth measured), written into the store and exported as a
 * gauge; when the downstream agent leaves, the link is marked DOWN with the reason.
 */
class PlacementLinkIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<MeshAgent> agents = new ArrayList<>();

  @AfterEach
  void stop() {
    agents.reversed().forEach(MeshAgent::close);
  }

  @Test
  void theUpstreamAgentProvesTheLinkOverQuicAndMarksItDownWhenTheDownstreamLeaves()
      throws Exception {
    MeshAgent upstream = startPair(List.of("quic"));
    MeshAgent downstream = agents.getLast();

    await().atMost(WAIT).until(() -> link(upstream).state() == LinkState.UP);
    LinkStatus up = link(upstream);
    assertThat(up.transport()).isEqualTo("quic");
    assertThat(up.fabricClass()).isEqualTo("QUIC");
    assertThat(up.bandwidthBytesPerSecond()).isPositive();
    assertThat(up.rttMicros()).isPositive();
    assertThat(up.fallbackReasons()).allSatisfy(reason -> assertThat(reason)
        .containsAnyOf("not_same_host", "not_offered"));
    assertThat(upstream.registry().scrape()).contains(
        "meshd_fabric_link_bandwidth_bytes_per_second{from_stage=\"0\",node=\"c1\","
            + "placement=\"pp\",to_stage=\"1\",transport=\"quic\"}");

    downstream.close();

    await().atMost(WAIT).until(() -> link(upstream).state() == LinkState.DOWN);
    assertThat(link(upstream).reason()).startsWith("downstream node b is ");
  }

  @Test
  void withLibfabricInstalledTheTcpProviderWinsOverQuic() throws Exception {
    Assumptions.assumeTrue(LibfabricDiscovery.system().inventory().libfabricProviders().stream()
            .anyMatch(p -> p.name().startsWith("tcp")),
        "libfabric not installed (apt-get install libfabric1 libfabric-bin); .ci/run installs it");
    MeshAgent upstream = startPair(List.of("rdma", "libfabric-tcp", "quic"));

    await().atMost(WAIT).until(() -> link(upstream).state() == LinkState.UP);
    LinkStatus up = link(upstream);
    assertThat(up.transport()).isEqualTo("libfabric-tcp");
    assertThat(up.fabricClass()).isEqualTo("LIBFABRIC_TCP");
    assertThat(up.bandwidthBytesPerSecond()).isPositive();
    assertThat(up.fallbackReasons()).singleElement().asString().contains("rdma");
  }

  @Test
  void withTheRdmaProviderNamedTcpTheRmaPathCarriesTheLink() throws Exception {
    Assumptions.assumeTrue(LibfabricDiscovery.system().inventory().libfabricProviders().stream()
            .anyMatch(p -> p.name().startsWith("tcp")),
        "libfabric not installed (apt-get install libfabric1 libfabric-bin); .ci/run installs it");
    // fabric.rdma.provider: tcp runs the rdma transport's RMA path over tcp;ofi_rxm.
    MeshAgent upstream = startPair(List.of("rdma", "quic"), "tcp");

    await().atMost(WAIT).until(() -> link(upstream).state() == LinkState.UP);
    LinkStatus up = link(upstream);
    assertThat(up.transport()).isEqualTo("rdma");
    assertThat(up.fabricClass()).isEqualTo("LIBFABRIC_TCP");
    assertThat(up.bandwidthBytesPerSecond()).isPositive();
    assertThat(up.fallbackReasons()).isEmpty();
  }

  private MeshAgent startPair(List<String> order) throws Exception {
    return startPair(order, null);
  }

  /** A control agent {@code c1} and a member {@code b}, both seeing each other's QUIC endpoint,
   * and a placement with stage 0 on c1 and stage 1 on b; returns c1. */
  private MeshAgent startPair(List<String> order, String rdmaProvider) throws Exception {
    ClusterKey key = ClusterKey.generate(new SecureRandom());
    Path keyFile = Files.writeString(dir.resolve("cluster.key"), key.encoded() + "\n");
    SecurityConfig security = new SecurityConfig(Optional.empty(), Optional.empty(),
        Optional.of(keyFile));
    AgentConfig controlConfig = TestConfigs.withFabric(
        TestConfigs.controlGroup(1, dir, security).getFirst(), order, rdmaProvider);
    MeshAgent upstream = start(controlConfig);
    MeshAgent downstream = start(TestConfigs.withFabric(TestConfigs.member("b", dir,
        controlConfig.listen().gossip(), security), order, rdmaProvider));
    await().atMost(WAIT).until(() -> publishesQuic(upstream, "b")
        && publishesQuic(downstream, "c1"));
    upstream.policyStore().orElseThrow().putPlacement(Placement.ofStages("pp", "m", List.of(
        new Stage(0, 0, 15, "c1", List.of(0)), new Stage(1, 16, 31, "b", List.of(0)))),
        OptionalLong.empty()).join();
    return upstream;
  }

  private MeshAgent start(AgentConfig config) {
    MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    agents.add(agent);
    agent.start();
    return agent;
  }

  private static boolean publishesQuic(MeshAgent observer, String nodeId) {
    return observer.gossip().member(nodeId)
        .map(m -> m.record().fabric().quicEndpoint().isPresent()).orElse(false);
  }

  private static LinkStatus link(MeshAgent agent) {
    Placement placement = agent.storeView().snapshot().placements().get("pp");
    return placement == null ? LinkStatus.PENDING : placement.links().getFirst().status();
  }
}
