package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.auth.TokenRegistry;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.testing.FakeStageTransport;
import dev.meshd.fabric.negotiate.testing.LoopbackTcpTransport;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.NegotiateRequest;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import dev.meshd.proto.v1.TryState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents in one JVM, with a cluster key and a tokens file, negotiating over their real gRPC ports
 * with test transports injected: an rdma the downstream has no provider for, a libfabric-tcp and
 * a quic that move real bytes over loopback TCP (the first corrupting its payload, so the
 * receiver's CRC32C check fails for real). Both agents end with the same link.
 */
class FabricNegotiationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OPERATOR_TOKEN = "operator-secret-0123456789";
  private static final String VIEWER_TOKEN = "viewer-secret-0123456789ab";

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private SecurityConfig security;
  private ClusterKey key;

  @BeforeEach
  void setUp() throws Exception {
    key = ClusterKey.generate(new SecureRandom());
    Path keyFile = Files.writeString(dir.resolve("cluster.key"), key.encoded() + "\n");
    Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "tokens:\n"
        + "  - {name: ops, role: operator, token: \"" + OPERATOR_TOKEN + "\"}\n"
        + "  - {name: watcher, role: viewer, token: \"" + VIEWER_TOKEN + "\"}\n");
    security = new SecurityConfig(Optional.empty(), Optional.of(tokens), Optional.of(keyFile));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void twoAgentsAgreeOnAProvedLinkAfterRealFallbacks() throws Exception {
    MeshAgent a = start("a", null,
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        LoopbackTcpTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP)
            .corruptingFirstMessage(),
        LoopbackTcpTransport.of("quic", FabricClass.QUIC));
    var bQuic = LoopbackTcpTransport.of("quic", FabricClass.QUIC);
    MeshAgent b = start("b", a,
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB)
            .refuseAccept(FallbackReason.PROVIDER_MISSING, "b has no verbs provider"),
        LoopbackTcpTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP), bQuic);
    await().atMost(WAIT).until(() -> a.gossip().member("b").isPresent());

    ProbeResponse response = fabric(a, OPERATOR_TOKEN).probe(
        ProbeRequest.newBuilder().setPeerNode("b").build());

    assertThat(response.getTriesList()).extracting(t -> t.getTransport() + ": "
            + t.getState() + " " + t.getRefusal().getReason())
        .containsExactly(
            "nvlink: TRY_STATE_SKIPPED not_offered",
            "xgmi: TRY_STATE_SKIPPED not_offered",
            "rdma: TRY_STATE_SKIPPED provider_missing",
            "libfabric-tcp: TRY_STATE_FAILED checksum_mismatch",
            "quic: TRY_STATE_SUCCEEDED ");
    var quic = response.getTries(4);
    assertThat(quic.getMeasured().getBytesVerified())
        .isEqualTo(ProbeSpec.standard().totalBytes());
    assertThat(quic.getMeasured().getBytesPerSecond()).isPositive();
    assertThat(response.getLink().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_DEGRADED);
    assertThat(response.getLink().getReason())
        .isEqualTo("fell back past libfabric-tcp: checksum_mismatch: "
            + "message 0 arrived with a wrong CRC32C");

    NegotiatedLink led = a.fabric().lastAsUpstream("b").orElseThrow();
    assertThat(led.state()).isEqualTo(LinkState.DEGRADED);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(b.fabric().lastAsDownstream("a")).contains(led));
    assertThat(bQuic.openResponders()).isZero();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(a.fabric().runningSessions()).isZero();
      assertThat(b.fabric().runningSessions()).isZero();
    });
    assertThat(a.registry().scrape())
        .contains("meshd_fabric_negotiations_total{node=\"a\",outcome=\"degraded\","
            + "transport=\"quic\"} 1.0")
        .contains("meshd_fabric_fallbacks_total{node=\"a\",reason=\"checksum_mismatch\","
            + "transport=\"libfabric-tcp\"} 1.0")
        .contains("meshd_fabric_fallbacks_total{node=\"a\",reason=\"provider_missing\","
            + "transport=\"rdma\"} 1.0");
  }

  @Test
  void negotiateIsForAgentsAndProbeForOperators() throws Exception {
    MeshAgent a = start("a", null, LoopbackTcpTransport.of("quic", FabricClass.QUIC));

    assertThatThrownBy(() -> fabric(a, VIEWER_TOKEN).probe(
        ProbeRequest.newBuilder().setPeerNode("b").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(negotiateStatus(a, OPERATOR_TOKEN).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // The agent credential passes; an empty stream is then no offer at all.
    Status asAgent = negotiateStatus(a, TokenRegistry.agentToken(key));
    assertThat(asAgent.getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(asAgent.getDescription()).contains("closed the stream");
  }

  @Test
  void anAgentWhoseOrderNamesNoBuiltInTransportSaysSoInsteadOfPretending() throws Exception {
    // Every group is built in now: only an empty order (which a config file cannot give) names
    // none; the refusal must still be clear.
    MeshAgent a = startBuiltIn("a", null, List.of());
    MeshAgent b = start("b", a, LoopbackTcpTransport.of("quic", FabricClass.QUIC));
    await().atMost(WAIT).until(() -> a.gossip().member("b").isPresent());

    assertThatThrownBy(() -> fabric(a, OPERATOR_TOKEN).probe(
        ProbeRequest.newBuilder().setPeerNode("b").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).isEqualTo("a has no stage transport: "
              + "fabric.order [] names none of the stage transports this agent "
              + "implements (nvlink, xgmi, rdma, libfabric-tcp, quic)");
        });
    // And as the downstream end: b's probe of a ends FAILED with a's words.
    await().atMost(WAIT).until(() -> b.gossip().member("a").isPresent());
    ProbeResponse response = fabric(b, OPERATOR_TOKEN).probe(
        ProbeRequest.newBuilder().setPeerNode("a").build());
    assertThat(response.getLink().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_FAILED);
    assertThat(response.getLink().getReason()).contains("failed precondition: a has no stage "
        + "transport");
    // Only b's own absences, before a's refusal ended it: nothing was tried.
    assertThat(response.getTriesList()).extracting(t -> t.getTransport())
        .containsExactly("nvlink", "xgmi", "rdma", "libfabric-tcp");
    assertThat(response.getTriesList())
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(TryState.TRY_STATE_SKIPPED));
  }

  private Status negotiateStatus(MeshAgent agent, String token) throws Exception {
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<NegotiateRequest> requests = FabricServiceGrpc.newStub(channel(agent))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .negotiate(new StreamObserver<>() {
          @Override
          public void onNext(dev.meshd.proto.v1.NegotiateResponse value) {}

          @Override
          public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            ended.complete(Status.OK);
          }
        });
    requests.onCompleted();
    return ended.get(15, TimeUnit.SECONDS);
  }

  private FabricServiceGrpc.FabricServiceBlockingStub fabric(MeshAgent agent, String token) {
    return FabricServiceGrpc.newBlockingStub(channel(agent))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .withDeadlineAfter(40, TimeUnit.SECONDS);
  }

  private ManagedChannel channel(MeshAgent agent) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort())
        .usePlaintext().build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static Metadata bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return headers;
  }

  private MeshAgent start(String id, MeshAgent seed, StageTransport... transports) {
    MeshAgent agent = new MeshAgent(config(id, seed), new TestConfigs.FakeGpus(1),
        Clock.systemUTC(), List.of(transports), "none injected");
    toClose.add(agent);
    agent.start();
    return agent;
  }

  private MeshAgent startBuiltIn(String id, MeshAgent seed, List<String> order) {
    AgentConfig config = TestConfigs.withFabricOrder(config(id, seed), order);
    MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    toClose.add(agent);
    agent.start();
    return agent;
  }

  private AgentConfig config(String id, MeshAgent seed) {
    return TestConfigs.memberOf(id, dir,
        seed == null ? List.of() : List.of(seed.config().listen().gossip()), security);
  }
}
