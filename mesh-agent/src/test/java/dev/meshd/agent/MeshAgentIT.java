package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.HostPort;
import dev.meshd.proto.v1.GetNodeRequest;
import dev.meshd.proto.v1.GetStatsRequest;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.NodeState;
import dev.meshd.proto.v1.Stats;
import dev.meshd.proto.v1.WatchNodesRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three agents in one JVM, read through their real gRPC and HTTP endpoints. */
class MeshAgentIT {

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void threeAgentsServeTheFleetOverGrpcAndMetricsOverHttp() throws Exception {
    TestConfigs.FakeGpus gpusOfB = new TestConfigs.FakeGpus(4);
    MeshAgent a = start("a", List.of(), new TestConfigs.FakeGpus(8));
    HostPort seed = a.config().listen().gossip();
    MeshAgent b = start("b", List.of(seed), gpusOfB);
    start("c", List.of(seed), new TestConfigs.FakeGpus(2));
    var stub = MeshServiceGrpc.newBlockingStub(channel(a.grpcPort()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Node> nodes = stub.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
      assertThat(nodes).extracting(Node::getId).containsExactly("a", "b", "c");
      assertThat(nodes).allMatch(n -> n.getState() == NodeState.NODE_STATE_ALIVE);
      assertThat(nodes).extracting(n -> n.getGpusCount()).containsExactly(8, 4, 2);
    });

    // A usage change on b reaches a through the refresher and gossip.
    gpusOfB.usedBytes = 40_000_000_000L;
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Node nodeB = stub.getNode(GetNodeRequest.newBuilder().setId("b").build());
      assertThat(nodeB.getGpus(0).getVramUsedBytes()).isEqualTo(40_000_000_000L);
    });

    Stats stats = stub.getStats(GetStatsRequest.getDefaultInstance());
    assertThat(stats.getNodeId()).isEqualTo("a");
    assertThat(stats.getMembersAlive()).isEqualTo(3);
    assertThat(stats.getGpus()).isEqualTo(8);

    StatusRuntimeException missing =
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
            () -> stub.getNode(GetNodeRequest.newBuilder().setId("zz").build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);

    String metrics = httpGet(a.metricsPort(), "/metrics");
    assertThat(metrics)
        .contains("meshd_gpu_memory_total_bytes{gpu=\"7\",model=\"H100-80GB\",node=\"a\"} 8.0E10")
        .contains("meshd_gossip_members{node=\"a\",state=\"alive\"} 3.0");
    assertThat(httpGet(b.metricsPort(), "/metrics"))
        .contains("meshd_gpu_memory_used_bytes{gpu=\"0\",model=\"H100-80GB\",node=\"b\"} 4.0E10");
  }

  @Test
  void aNodesDiscoveredFabricReachesTheOtherAgents() throws Exception {
    var port = new dev.meshd.core.fabric.RdmaPort("mlx5_0", 1,
        dev.meshd.core.fabric.RdmaPortState.ACTIVE, 5, "LinkUp", 200,
        dev.meshd.core.fabric.LinkLayer.INFINIBAND);
    var inventory = new dev.meshd.core.fabric.FabricInventory(List.of(port), List.of(),
        List.of(), List.of(), List.of("nvidia-smi not found on PATH"));
    MeshAgent a = start("a", List.of(), new TestConfigs.FakeGpus(1));
    MeshAgent b = new MeshAgent(
        TestConfigs.agent("b", dir, List.of(a.config().listen().gossip()), Optional.empty()),
        new TestConfigs.FakeGpus(1), () -> inventory, Clock.systemUTC());
    toClose.add(b);
    b.start();
    var stub = MeshServiceGrpc.newBlockingStub(channel(a.grpcPort()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Node nodeB = stub.getNode(GetNodeRequest.newBuilder().setId("b").build());
      // The discovered port, and the QUIC endpoint every agent with quic in fabric.order serves.
      assertThat(nodeB.getFabric().getClassesList()).containsExactly("RDMA_IB", "QUIC");
      assertThat(nodeB.getFabric().getQuic().getCertificateSha256()).hasSize(64);
      assertThat(nodeB.getFabric().getRdmaPorts(0).getDevice()).isEqualTo("mlx5_0");
      assertThat(nodeB.getFabric().getReasonsList())
          .containsExactly("nvidia-smi not found on PATH");
    });
    // a runs this host's own sources; whatever they find, the first discovery has finished.
    await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
        assertThat(stub.getNode(GetNodeRequest.newBuilder().setId("a").build())
            .getFabric().getReasonsList())
            .doesNotContain("fabric discovery has not finished yet"));
  }

  @Test
  void watchNodesStreamsTheSnapshotThenChanges() throws Exception {
    MeshAgent a = start("a", List.of(), new TestConfigs.FakeGpus(1));
    List<NodeEvent> events = new CopyOnWriteArrayList<>();
    MeshServiceGrpc.newStub(channel(a.grpcPort()))
        .watchNodes(WatchNodesRequest.getDefaultInstance(), collect(events));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
    assertThat(events.getFirst().getType()).isEqualTo(NodeEventType.NODE_EVENT_TYPE_ADDED);
    assertThat(events.getFirst().getNode().getId()).isEqualTo("a");
    assertThat(events.get(1).getType()).isEqualTo(NodeEventType.NODE_EVENT_TYPE_SYNCED);

    MeshAgent b = start("b", List.of(a.config().listen().gossip()), new TestConfigs.FakeGpus(1));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo(NodeEventType.NODE_EVENT_TYPE_ADDED);
      assertThat(e.getNode().getId()).isEqualTo("b");
    }));

    b.close();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo(NodeEventType.NODE_EVENT_TYPE_STATE_CHANGED);
      assertThat(e.getNode().getState()).isEqualTo(NodeState.NODE_STATE_LEFT);
    }));
  }

  @Test
  void withATokensFileEveryCallNeedsABearerToken() throws Exception {
    Path tokens = dir.resolve("tokens.yaml");
    java.nio.file.Files.writeString(tokens,
        "tokens:\n  - {name: ci, role: viewer, token: \"viewer-secret-0123456789\"}\n");
    AgentConfig base = TestConfigs.agent("a", dir, List.of(), Optional.empty());
    AgentConfig config = new AgentConfig(base.source(), base.node(), base.listen(), base.gossip(),
        base.raft(), base.gpus(), base.runtimes(), base.fabric(), base.telemetry(),
        new dev.meshd.core.config.SecurityConfig(Optional.empty(), Optional.of(tokens),
            Optional.empty()),
        base.logging());
    MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    toClose.add(agent);
    agent.start();
    var stub = MeshServiceGrpc.newBlockingStub(channel(agent.grpcPort()));

    StatusRuntimeException refused =
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
            () -> stub.listNodes(ListNodesRequest.getDefaultInstance()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        "Bearer viewer-secret-0123456789");
    assertThat(stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(
        headers)).listNodes(ListNodesRequest.getDefaultInstance()).getNodesCount()).isEqualTo(1);

    // Health checks stay open for load balancers and probes.
    assertThat(io.grpc.health.v1.HealthGrpc.newBlockingStub(channel(agent.grpcPort()))
        .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void readinessFollowsTheLifecycle() throws Exception {
    MeshAgent a = start("a", List.of(), new TestConfigs.FakeGpus(1));
    assertThat(httpStatus(a.metricsPort(), "/readyz")).isEqualTo(200);
    assertThat(httpStatus(a.metricsPort(), "/healthz")).isEqualTo(200);
    a.close();
    assertThat(a.isReady()).isFalse();
  }

  @Test
  void portInUseFailsWithOneLineNamingTheComponent() throws Exception {
    MeshAgent a = start("a", List.of(), new TestConfigs.FakeGpus(1));
    AgentConfig clash = TestConfigs.agent("b", dir, List.of(), Optional.empty());
    clash = new AgentConfig(clash.source(), clash.node(),
        new dev.meshd.core.config.ListenConfig(a.config().listen().grpc(), clash.listen().gossip(),
            clash.listen().raft(), clash.listen().metrics(), clash.listen().router(),
            clash.listen().fabric()),
        clash.gossip(), clash.raft(), clash.gpus(), clash.runtimes(), clash.fabric(),
        clash.telemetry(), clash.security(), clash.logging());
    MeshAgent b = new MeshAgent(clash, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    toClose.add(b);
    org.assertj.core.api.Assertions.assertThatThrownBy(b::start)
        .isInstanceOf(AgentStartException.class)
        .hasMessage("cannot start grpc on " + a.config().listen().grpc()
            + ": address already in use");
  }

  private MeshAgent start(String id, List<HostPort> seeds, TestConfigs.FakeGpus gpus) {
    MeshAgent agent =
        new MeshAgent(TestConfigs.agent(id, dir, seeds, Optional.empty()), gpus,
            Clock.systemUTC());
    toClose.add(agent);
    agent.start();
    return agent;
  }

  private ManagedChannel channel(int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .build();
    toClose.add(() -> {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    });
    return channel;
  }

  private static <T> StreamObserver<T> collect(List<T> sink) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        sink.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private static String httpGet(int port, String path) throws Exception {
    return send(port, path).body();
  }

  private static int httpStatus(int port, String path) throws Exception {
    return send(port, path).statusCode();
  }

  private static HttpResponse<String> send(int port, String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
