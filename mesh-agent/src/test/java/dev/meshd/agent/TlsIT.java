package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.security.TlsFiles;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.raft.RaftPolicyServer;
import dev.meshd.testkit.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control agents and a gpu-only agent with {@code security.tls} and a CA (mTLS), in one
 * JVM: operators need a certificate from the CA, the gpu agent forwards writes and watches the
 * store over TLS with its own certificate, and the control agents talk Raft over mTLS, their
 * Raft ports refusing whoever has no certificate from the CA. One fleet for every test, to keep
 * the suite short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path ca;
  private TestCertificateAuthority.Issued operator;
  private TestCertificateAuthority.Issued stranger;
  private MeshAgent control;
  private MeshAgent lastControl;
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
    List<AgentConfig> controls = TestConfigs.controlGroup(3, dir, security);
    control = start(controls.get(0));
    start(controls.get(1));
    lastControl = start(controls.get(2));
    member = start(TestConfigs.member("m1", dir, controls.get(0).listen().gossip(), security));
    await().atMost(Duration.ofSeconds(30)).until(() -> member.gossip().members().size() == 4);
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
    assertThat(nodes).extracting(Node::getId).containsExactlyInAnyOrder("c1", "c2", "c3", "m1");

    // m1 is not a voter: it forwards the write to a control agent over mTLS, with its own
    // certificate; the voters replicate it over mTLS, and c3 reads it from its own replica.
    Policy written = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(TlsIT::isUnavailable)
        .until(() -> policies(member, operatorTls).putPolicy(PutPolicyRequest.newBuilder()
            .setPolicy(Policy.newBuilder().setName("secure").setModelSelector("llama/*")
                .setStrategy("least_queue"))
            .build()), p -> p.getRevision() > 0);
    assertThat(policies(lastControl, operatorTls).getPolicy(
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

  @Test
  void theRaftPortAnswersOnlyTlsPeersWithACaCertificate() throws Exception {
    HostPort raft = control.config().listen().raft();
    // Any holder of a certificate from the CA may talk Raft (peer names are not checked).
    GrpcTlsConfig withCertificate = new GrpcTlsConfig(
        TlsFiles.keyManagers(operator.cert(), operator.key())[0],
        TlsFiles.trustManagers(ca)[0], true);
    assertThat(raftGroupInfo(raft, withCertificate).get(15, TimeUnit.SECONDS).isSuccess())
        .isTrue();

    // Plaintext, as a voter without security.tls would dial: the TLS port closes on it.
    assertThat(catchThrowable(() -> raftGroupInfo(raft, null).get(15, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class);
    // TLS trusting the CA, but with no client certificate: refused (mTLS).
    GrpcTlsConfig withoutCertificate =
        new GrpcTlsConfig(null, TlsFiles.trustManagers(ca)[0], false);
    assertThat(catchThrowable(
        () -> raftGroupInfo(raft, withoutCertificate).get(15, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class);
  }

  /**
   * Asks the voter at {@code raft} about the policy store's group, once, with a Ratis client
   * using {@code tls} (null: plaintext), on a virtual thread.
   */
  private static CompletableFuture<GroupInfoReply> raftGroupInfo(HostPort raft,
      GrpcTlsConfig tls) {
    return CompletableFuture.supplyAsync(() -> {
      RaftProperties properties = new RaftProperties();
      RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
          TimeDuration.valueOf(5, TimeUnit.SECONDS));
      Parameters parameters = new Parameters();
      if (tls != null) {
        GrpcConfigKeys.TLS.setConf(parameters, tls);
      }
      RaftPeer voter = RaftPeer.newBuilder().setId("c1").setAddress(raft.toString()).build();
      try (RaftClient client = RaftClient.newBuilder()
          .setRaftGroup(RaftGroup.valueOf(RaftPolicyServer.GROUP_ID, voter))
          .setProperties(properties)
          .setParameters(parameters)
          .setRetryPolicy(RetryPolicies.noRetry())
          .build()) {
        return client.getGroupManagementApi(voter.getId()).info(RaftPolicyServer.GROUP_ID);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Thread::startVirtualThread);
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
