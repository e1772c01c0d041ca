package dev.meshd.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.agent.api.ResponseWarnings;
import dev.meshd.agent.auth.BearerAuthInterceptor;
import dev.meshd.agent.auth.Role;
import dev.meshd.agent.auth.TokenRegistry;
import dev.meshd.agent.testing.InMemoryPolicyStore;
import dev.meshd.agent.testing.TestMembers;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.ListDrainsRequest;
import dev.meshd.proto.v1.ListDrainsResponse;
import dev.meshd.proto.v1.NodeDrain;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.UncordonNodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DrainNode, UncordonNode and ListDrains through the real interceptors over an in-memory store. */
class DrainRpcTest {

  private static final String VIEWER = "viewer-token-0123456789";
  private static final String OPERATOR = "operator-token-0123456789";
  private static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    TokenRegistry tokens = new TokenRegistry(List.of(
        new TokenRegistry.Entry("vic", Role.VIEWER, sha256(VIEWER)),
        new TokenRegistry.Entry("ops", Role.OPERATOR, sha256(OPERATOR))),
        Optional.empty());
    PolicyGrpcService service = new PolicyGrpcService(store, store, null, p -> List.of(),
        new DrainCheck(TestMembers.fleet("node1", "node2"))::warnings,
        Clock.fixed(NOW, ZoneOffset.UTC));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(service)
        .intercept(new ResponseWarnings())
        .intercept(new BearerAuthInterceptor(Optional.of(tokens)))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private PolicyServiceGrpc.PolicyServiceBlockingStub as(String token,
      AtomicReference<Metadata> responseHeaders) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + token);
    return PolicyServiceGrpc.newBlockingStub(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(headers),
        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>()));
  }

  private PolicyServiceGrpc.PolicyServiceBlockingStub as(String token) {
    return as(token, new AtomicReference<>());
  }

  private static byte[] sha256(String token) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Status failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  @Test
  void anOperatorDrainsAndUncordonsAndEveryoneMayList() {
    NodeDrain drained = as(OPERATOR).drainNode(DrainNodeRequest.newBuilder()
        .setNodeId("node2").setReason("kernel upgrade").build());

    assertThat(drained.getNodeId()).isEqualTo("node2");
    assertThat(drained.getReason()).isEqualTo("kernel upgrade");
    assertThat(drained.getRevision()).isEqualTo(1);
    assertThat(drained.getRequestedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
    ListDrainsResponse listed = as(VIEWER).listDrains(ListDrainsRequest.getDefaultInstance());
    assertThat(listed.getDrainsList()).containsExactly(drained);
    assertThat(listed.getRevision()).isEqualTo(1);

    DeleteResponse uncordoned = as(OPERATOR).uncordonNode(
        UncordonNodeRequest.newBuilder().setNodeId("node2").build());
    assertThat(uncordoned.getRevision()).isEqualTo(2);
    assertThat(as(VIEWER).listDrains(ListDrainsRequest.getDefaultInstance()).getDrainsList())
        .isEmpty();
  }

  @Test
  void aViewerMayNotDrainOrUncordon() {
    assertThat(failure(() -> as(VIEWER).drainNode(
        DrainNodeRequest.newBuilder().setNodeId("node2").build())).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure(() -> as(VIEWER).uncordonNode(
        UncordonNodeRequest.newBuilder().setNodeId("node2").build())).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(store.revision()).isZero();
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    Status empty = failure(() -> as(OPERATOR).drainNode(DrainNodeRequest.getDefaultInstance()));
    Status spaced = failure(() -> as(OPERATOR).drainNode(
        DrainNodeRequest.newBuilder().setNodeId("node 2").build()));
    Status longReason = failure(() -> as(OPERATOR).drainNode(DrainNodeRequest.newBuilder()
        .setNodeId("node2").setReason("x".repeat(300)).build()));

    assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(empty.getDescription()).startsWith("nodeId: empty");
    assertThat(spaced.getDescription()).startsWith("nodeId: \"node 2\"");
    assertThat(longReason.getDescription())
        .isEqualTo("reason: 300 characters (expected: at most 256)");
    assertThat(store.revision()).isZero();
  }

  @Test
  void uncordonOfANodeThatIsNotDrainedIsNotFound() {
    Status status = failure(() -> as(OPERATOR).uncordonNode(
        UncordonNodeRequest.newBuilder().setNodeId("node1").build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("node \"node1\" is not drained");
  }

  @Test
  void expectedRevisionMakesTheWriteConditional() {
    as(OPERATOR).drainNode(DrainNodeRequest.newBuilder().setNodeId("node2").build());

    Status conflict = failure(() -> as(OPERATOR).drainNode(DrainNodeRequest.newBuilder()
        .setNodeId("node2").setExpectedRevision(0).build()));
    Status stale = failure(() -> as(OPERATOR).uncordonNode(UncordonNodeRequest.newBuilder()
        .setNodeId("node2").setExpectedRevision(7).build()));

    assertThat(conflict.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(stale.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void drainingANodeOutsideTheFleetIsAllowedWithAWarning() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> memberHeaders = new AtomicReference<>();

    NodeDrain drained = as(OPERATOR, headers).drainNode(
        DrainNodeRequest.newBuilder().setNodeId("node9").build());
    as(OPERATOR, memberHeaders).drainNode(
        DrainNodeRequest.newBuilder().setNodeId("node1").build());

    assertThat(drained.getRevision()).isEqualTo(1);
    assertThat(headers.get().getAll(ResponseWarnings.HEADER)).singleElement().asString()
        .contains("node \"node9\" is not a member of the fleet");
    assertThat(memberHeaders.get().getAll(ResponseWarnings.HEADER)).isNull();
  }
}
