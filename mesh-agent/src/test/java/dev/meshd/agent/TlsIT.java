package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.testkit.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control agent and a gpu-only agent with {@code security.tls} and a CA (mTLS), in one JVM:
 * operators need a certificate from the CA, and the gpu agent forwards writes and watches the
 * store over TLS with its own certificate. One fleet for every test, to keep the suite short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path ca;
  private TestCertificateAuthority.Issued operator;
  private TestCertificateAuthority.Issued stranger;
  private MeshAgent control;
  private MeshAgent member;

  @BeforeAll
  void startMesh(@TempDir Path dir) throws IOException {
    TestCertificateAuthority authority = TestCertificateAuthority.create("fleet-ca");
    ca = authority.writeCertificate(dir.resolve("tls/ca.crt"));
    TestCertificateAuthority.Issued agent = authority.issue(dir.resolve("tls"), "agent");
    operator = authority.issue(dir.resolve("tls"), "operator");
    stranger = TestCertificateAuthority.create("other-ca").issue(dir.resolve("other"), "intruder");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile = Files.writeString(dir.resolve("cluster.key"),
        Base64.getEncoder().encodeToString(key) + "\n");
    SecurityConfig security = new SecurityConfig(
        Optional.of(new TlsConfig(agent.cert(), agent.key(), ca)), Optional.empty(),
        Optional.of(keyFile));
    AgentConfig controlConfig = TestConfigs.controlGroup(1, dir, security).getFirst();
    control = start(controlConfig);
    member = start(TestConfigs.member("m1", dir, controlConfig.listen().gossip(), security));
    await().atMost(Duration.ofSeconds(30)).until(() -> member.gossip().members().size() == 2);
  }

  @AfterAll
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void anOperatorWithACaCertificateListsNodesAndWritesForwardedOverTls() throws IOException {
    ChannelCredentials operatorTls = TlsChannelCredentials.newBuilder()
        .trustManager(ca.toFile())
        .keyManager(operator.cert().toFile(), operator.key().toFile())
        .build();

    List<Node> nodes = MeshServiceGrpc.newBlockingStub(channel(member, operatorTls))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
    assertThat(nodes).extracting(Node::getId).containsExactlyInAnyOrder("c1", "m1");

    // m1 is not a voter: it forwards the write to c1 over mTLS, with its own certificate.
    Policy written = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(TlsIT::isUnavailable)
        .until(() -> policies(member, operatorTls).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(Policy.newBuilder().setName("secure").setModelSelector("llama/*")
                .setStrategy("least_queue"))
            .build()), p -> p.getRevision() > 0);
    assertThat(policies(control, operatorTls).getPolicy(
        GetPolicyRequest.newBuilder().setName("secure").build())).isEqualTo(written);
    // m1's store view watches c1's store over the same kind of channel.
    await().atMost(Duration.ofSeconds(20))
        .until(() -> member.storeView().snapshot().policies().containsKey("secure"));
  }

  @Test
  void clientsWithoutACertificateFromTheCaAreRefused() throws IOException {
    assertRefused(InsecureChannelCredentials.create());
    assertRefused(TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build());
    assertRefused(TlsChannelCredentials.newBuilder().trustManager(ca.toFile())
        .keyManager(stranger.cert().toFile(), stranger.key().toFile()).build());
  }

  private void assertRefused(ChannelCredentials credentials) {
    assertThatThrownBy(() -> MeshServiceGrpc.newBlockingStub(channel(control, credentials))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listNodes(ListNodesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private MeshAgent start(AgentConfig config) {
    MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
    agent.start();
    toClose.add(agent);
    return agent;
  }

  private PolicyServiceGrpc.PolicyServiceBlockingStub policies(MeshAgent agent,
      ChannelCredentials credentials) {
    return PolicyServiceGrpc.newBlockingStub(channel(agent, credentials))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private ManagedChannel channel(MeshAgent agent, ChannelCredentials credentials) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort(), credentials).build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static boolean isUnavailable(Throwable e) {
    return e instanceof StatusRuntimeException s
        && s.getStatus().getCode() == Status.Code.UNAVAILABLE;
  }
}
