package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.api.ResponseWarnings;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.proto.v1.AddRaftPeerRequest;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.GetClusterStatusRequest;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.PeerRole;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.PutPlacementRequest;
import dev.meshd.proto.v1.Replica;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.proto.v1.RaftPeer;
import dev.meshd.proto.v1.SaveSnapshotRequest;
import dev.meshd.proto.v1.SnapshotChunk;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import dev.meshd.raft.StoreExport;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control agents and one gpu-only agent in one JVM, with tokens and a cluster key: the
 * policy store through the agents' real gRPC API, forwarded from the agent that is not a voter.
 */
class PolicyServiceIT {

  private static final String OPERATOR = "operator-secret-0123456789";
  private static final String VIEWER = "viewer-secret-0123456789";
  private static final String ADMIN = "admin-secret-0123456789";

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<MeshAgent> controls = new ArrayList<>();
  private MeshAgent member;

  @BeforeEach
  void startMesh() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile = Files.writeString(dir.resolve("cluster.key"),
        Base64.getEncoder().encodeToString(key) + "\n");
    Path tokens = Files.writeString(dir.resolve("tokens.yaml"), """
        tokens:
          - {name: alice, role: operator, token: %s}
          - {name: victor, role: viewer, token: %s}
          - {name: root, role: admin, token: %s}
        """.formatted(OPERATOR, VIEWER, ADMIN));
    SecurityConfig security =
        new SecurityConfig(Optional.empty(), Optional.of(tokens), Optional.of(keyFile));
    List<AgentConfig> configs = TestConfigs.controlGroup(3, dir, security);
    for (AgentConfig config : configs) {
      controls.add(start(config));
    }
    member = start(TestConfigs.member("m1", dir, configs.get(0).listen().gossip(), security));
    // The member forwards to control agents it sees ALIVE through gossip.
    await().atMost(Duration.ofSeconds(30)).until(() -> member.gossip().members().size() == 4);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void writeThroughTheNonVoterIsReadOnAControlNodeAndStatusShowsOneLeader() {
    Policy written = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(member, OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(policy("llama")).build()), p -> p.getRevision() > 0);

    Policy read = policies(controls.get(1), VIEWER)
        .getPolicy(GetPolicyRequest.newBuilder().setName("llama").build());
    assertThat(read).isEqualTo(written);
    // A serializable read answers from the agent's own replica, once it has applied the write.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(policies(controls.get(2), VIEWER).getPolicy(GetPolicyRequest.newBuilder()
            .setName("llama").setSerializable(true).build())).isEqualTo(written));
    assertThat(policies(controls.get(2), VIEWER).listPolicies(
        ListPoliciesRequest.getDefaultInstance()).getPoliciesList()).containsExactly(written);

    ClusterStatus status = await().atMost(Duration.ofSeconds(20)).until(
        () -> policies(member, VIEWER).getClusterStatus(GetClusterStatusRequest.getDefaultInstance()),
        s -> s.getPeersList().stream().allMatch(p -> p.getLag() == 0));
    assertThat(status.getPeersList()).extracting(RaftPeer::getId)
        .containsExactly("c1", "c2", "c3");
    assertThat(status.getPeersList()).extracting(RaftPeer::getRole)
        .containsOnlyOnce(PeerRole.PEER_ROLE_LEADER)
        .filteredOn(r -> r == PeerRole.PEER_ROLE_FOLLOWER).hasSize(2);
    assertThat(status.getPeersList()).allMatch(RaftPeer::getVoter);
    assertThat(status.getLeaderId()).isNotEmpty();
  }

  @Test
  void forwardedCallsKeepTheControlNodesStatusesAndTheCallersRole() {
    Policy first = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(member, OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(policy("cas")).setExpectedRevision(0).build()), p -> true);

    assertThatThrownBy(() -> policies(member, OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
        .setPolicy(policy("cas")).setExpectedRevision(first.getRevision() + 5).build()))
        .satisfies(e -> assertStatus(e, Status.Code.FAILED_PRECONDITION,
            String.valueOf(first.getRevision())));
    assertThatThrownBy(() -> policies(member, OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
        .setPolicy(policy("bad").toBuilder().setStrategy("fastest_please")).build()))
        .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "strategy"));
    // The member checks the caller's own token before forwarding with its agent credential.
    assertThatThrownBy(() -> policies(member, VIEWER).putPolicy(PutPolicyRequest.newBuilder()
        .setPolicy(policy("viewer-write")).build()))
        .satisfies(e -> assertStatus(e, Status.Code.PERMISSION_DENIED, "viewer"));
    assertThatThrownBy(() -> policies(member, null).listPolicies(
        ListPoliciesRequest.getDefaultInstance()))
        .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "token"));
    // Membership changes are not forwarded: an admin calls a control node.
    assertThatThrownBy(() -> policies(member, ADMIN).addRaftPeer(AddRaftPeerRequest.newBuilder()
        .setId("c9").setAddress("127.0.0.1:1").build()))
        .satisfies(e -> assertStatus(e, Status.Code.FAILED_PRECONDITION, "not a control node"));
    assertThat(policies(controls.get(0), VIEWER).getPolicy(
        GetPolicyRequest.newBuilder().setName("cas").build())).isEqualTo(first);
  }

  @Test
  void aPlacementOnAnUnknownNodeIsStoredWithAWarningThatSurvivesForwarding() {
    Placement ghost = Placement.newBuilder().setName("ghostly").setModel("m")
        .addReplicas(Replica.newBuilder().setNodeId("c1"))
        .addReplicas(Replica.newBuilder().setNodeId("ghost"))
        .build();
    AtomicReference<Metadata> headers = new AtomicReference<>();
    Placement stored = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(member, OPERATOR)
            .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers,
                new AtomicReference<>()))
            .putPlacement(PutPlacementRequest.newBuilder().setPlacement(ghost).build()),
            p -> true);

    assertThat(stored.getRevision()).isPositive();
    assertThat(headers.get().getAll(ResponseWarnings.HEADER)).singleElement().asString()
        .contains("replicas", "\"ghost\"", "not a member");
  }

  @Test
  void watchThroughTheNonVoterSeesWritesMadeElsewhere() {
    List<StoreChange> seen = new CopyOnWriteArrayList<>();
    PolicyServiceGrpc.newStub(channel(member)).withInterceptors(bearer(VIEWER))
        .watch(WatchRequest.newBuilder().setFromRevision(0).build(), collect(seen));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(controls.get(2), OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(policy("watched")).build()), p -> true);

    await().atMost(Duration.ofSeconds(20))
        .until(() -> seen.stream().anyMatch(c -> c.getPolicy().getName().equals("watched")));
  }

  @Test
  void adminSavesASnapshotThatParsesAndHoldsTheDocuments() throws Exception {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(controls.get(0), OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(policy("saved")).build()), p -> true);

    assertThatThrownBy(() -> policies(controls.get(1), OPERATOR)
        .saveSnapshot(SaveSnapshotRequest.getDefaultInstance()).hasNext())
        .satisfies(e -> assertStatus(e, Status.Code.PERMISSION_DENIED, "operator"));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Iterator<SnapshotChunk> chunks = policies(controls.get(1), ADMIN)
        .saveSnapshot(SaveSnapshotRequest.getDefaultInstance());
    String sha = "";
    while (chunks.hasNext()) {
      SnapshotChunk chunk = chunks.next();
      chunk.getData().writeTo(bytes);
      sha = chunk.getSha256().isEmpty() ? sha : chunk.getSha256();
    }
    StoreExport export = StoreExport.parse(bytes.toByteArray());
    assertThat(sha).hasSize(64);
    assertThat(export.revision()).isPositive();
    assertThat(new String(export.json(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"saved\"");
  }

  @Test
  void raftMetricsShowOneLeaderAndCountedWrites() {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(controls.get(0), OPERATOR).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(policy("metered")).build()), p -> true);

    assertThat(controls.get(0).registry().scrape())
        .contains("meshd_store_writes_total{kind=\"policy\",node=\"c1\",outcome=\"ok\"} 1.0")
        .contains("meshd_raft_apply_seconds_count")
        .contains("meshd_raft_term{node=\"c1\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> controls.stream()
        .mapToDouble(a -> a.registry().get("meshd.raft.leader").gauge().value()).sum() == 1.0);
  }

  @Test
  void aDrainThroughTheNonVoterReachesEveryAgentsStoreViewAndListNodes() throws Exception {
    dev.meshd.proto.v1.NodeDrain drained = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(e -> isUnavailable(e))
        .until(() -> policies(member, OPERATOR).drainNode(
            dev.meshd.proto.v1.DrainNodeRequest.newBuilder().setNodeId("c2")
                .setReason("kernel upgrade").build()), d -> d.getRevision() > 0);

    for (MeshAgent agent : List.of(controls.get(0), controls.get(2), member)) {
      var snapshot = agent.storeView().awaitRevision(drained.getRevision())
          .get(20, TimeUnit.SECONDS);
      assertThat(snapshot.drain("c2")).as(agent.config().node().id()).hasValueSatisfying(d ->
          assertThat(d.reason()).isEqualTo("kernel upgrade"));
    }
    var nodes = dev.meshd.proto.v1.MeshServiceGrpc.newBlockingStub(channel(member))
        .withInterceptors(bearer(VIEWER))
        .listNodes(dev.meshd.proto.v1.ListNodesRequest.getDefaultInstance()).getNodesList();
    assertThat(nodes).filteredOn(dev.meshd.proto.v1.Node::getDraining)
        .extracting(dev.meshd.proto.v1.Node::getId).containsExactly("c2");

    policies(controls.get(0), OPERATOR).uncordonNode(
        dev.meshd.proto.v1.UncordonNodeRequest.newBuilder().setNodeId("c2").build());
    await().atMost(Duration.ofSeconds(20))
        .until(() -> !member.storeView().snapshot().isDraining("c2"));
    assertThatThrownBy(() -> policies(member, OPERATOR).uncordonNode(
        dev.meshd.proto.v1.UncordonNodeRequest.newBuilder().setNodeId("c2").build()))
        .satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND, "node \"c2\" is not drained"));
  }

  private MeshAgent start(AgentConfig config) {
    MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    agent.start();
    toClose.add(agent);
    return agent;
  }

  private PolicyServiceGrpc.PolicyServiceBlockingStub policies(MeshAgent agent, String token) {
    var stub = PolicyServiceGrpc.newBlockingStub(channel(agent))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
    return token == null ? stub : stub.withInterceptors(bearer(token));
  }

  private ManagedChannel channel(MeshAgent agent) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static Policy policy(String name) {
    return Policy.newBuilder().setName(name).setModelSelector("meta-llama/*")
        .setStrategy("least_queue").build();
  }

  private static boolean isUnavailable(Throwable e) {
    return e instanceof StatusRuntimeException s
        && s.getStatus().getCode() == Status.Code.UNAVAILABLE;
  }

  private static void assertStatus(Throwable e, Status.Code code, String inDescription) {
    assertThat(e).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) e).getStatus();
    assertThat(status.getCode()).isEqualTo(code);
    assertThat(status.getDescription()).contains(inDescription);
  }

  private static <T> StreamObserver<T> collect(List<T> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }
}
