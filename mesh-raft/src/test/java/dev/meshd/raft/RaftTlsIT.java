package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.security.TlsFiles;
import dev.meshd.raft.internal.RatisTls;
import dev.meshd.testkit.FreePorts;
import dev.meshd.testkit.TestCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voters with {@code security.tls} and a CA: Raft runs over mTLS, and the Raft port refuses
 * whoever cannot show a certificate from the CA that names one of the group's voters' hosts; a
 * voter's certificate must name its Raft host.
 */
class RaftTlsIT {

  private static final Duration ELECTION = Duration.ofSeconds(20);
  /** Bounds each refused call: a refusal must come as a failure, never as a hang. */
  private static final Duration REFUSAL = Duration.ofSeconds(10);
  private static final StoreOptions OPTIONS = new StoreOptions(ReadConsistency.LINEARIZABLE,
      Duration.ofSeconds(8), Duration.ofSeconds(1), 30, Duration.ofMillis(100));

  @TempDir Path dir;
  private RaftTestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void votersOverMutualTlsElectALeaderAndReplicateAndRefuseClientsWithoutACaCertificate()
      throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("raft-ca");
    Path ca = authority.writeCertificate(dir.resolve("tls/ca.crt"));
    startMutualTlsVoters(authority, ca);

    Policy written = cluster.store(0).putPolicy(Documents.policy("over-tls"), OptionalLong.of(0))
        .get(30, TimeUnit.SECONDS);
    assertThat(cluster.store(2).getPolicy("over-tls").get(30, TimeUnit.SECONDS))
        .isEqualTo(written);
    // Replicated to voter 3's own replica, not only readable through the leader.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.server(2).export().revision() >= written.revision());

    RaftPeer voter = cluster.peers().get(2);
    TestCertificateAuthority.Issued voterOne = authority.issue(dir.resolve("client"), "node1");
    TestCertificateAuthority.Issued operator = authority.issue(dir.resolve("tls"), "operator",
        List.of("alice.example.internal"));
    TestCertificateAuthority.Issued stranger =
        TestCertificateAuthority.create("other-ca").issue(dir.resolve("other"), "intruder");
    // The control case: a voter's certificate from the CA is answered.
    assertThat(groupInfo(voter, RatisTls.parameters(
        Optional.of(new TlsConfig(voterOne.cert(), voterOne.key(), ca))))
        .get(REFUSAL.toSeconds(), TimeUnit.SECONDS).isSuccess()).isTrue();

    // An operator's certificate from the same CA names no voter: Raft has no tokens, so it is
    // refused at the handshake like any other non-voter.
    assertRefused(groupInfo(voter, RatisTls.parameters(
        Optional.of(new TlsConfig(operator.cert(), operator.key(), ca)))));
    // A plaintext peer or client: the TLS port closes on it.
    assertRefused(groupInfo(voter, new Parameters()));
    // TLS without a client certificate, and with one from another CA (whose key manager offers
    // nothing, as the voter only asks for certificates of its CA): certificate required.
    assertRefused(groupInfo(voter, tlsWithoutCertificate(ca)));
    assertRefused(groupInfo(voter, RatisTls.parameters(
        Optional.of(new TlsConfig(stranger.cert(), stranger.key(), ca)))));
  }

  @Test
  void onlyTheHostsOfTheCurrentVotersMayConnectAsTheMembershipChanges() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("raft-ca");
    Path ca = authority.writeCertificate(dir.resolve("tls/ca.crt"));
    startMutualTlsVoters(authority, ca);
    // The newcomer's certificate names only its own host, as a real node's would.
    RaftPeer fourth = new RaftPeer("node4", new HostPort("127.0.0.4", FreePorts.loopback()));
    TestCertificateAuthority.Issued issued4 =
        authority.issue(dir.resolve("tls4"), "node4", List.of("127.0.0.4"));
    Optional<TlsConfig> tls4 = Optional.of(new TlsConfig(issued4.cert(), issued4.key(), ca));
    RaftPeer voter = cluster.peers().getFirst();

    // Before the group names it, the newcomer's certificate opens no voter's port.
    assertRefused(groupInfo(voter, RatisTls.parameters(tls4)));

    List<RaftPeer> withFourth = new ArrayList<>(cluster.peers());
    withFourth.add(fourth);
    try (RaftPolicyServer server4 = RaftPolicyServer.builder().nodeId("node4").peers(withFourth)
        .dataDir(dir.resolve("data/node4")).settings(RaftServerSettings.fastFailover())
        .tls(tls4).build()) {
      server4.start();
      // The leader dials the newcomer, which trusts the voters its raft.peers list.
      int leader = cluster.leader().orElseThrow();
      cluster.server(leader).addPeer("node4", fourth.address(), Duration.ofSeconds(30))
          .get(40, TimeUnit.SECONDS);
      Policy written = cluster.store(0).putPolicy(Documents.policy("after-join"),
          OptionalLong.empty()).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> server4.stateMachine().revision() == written.revision());

      // A voter now: the leader, whose configuration names it, answers its certificate.
      RaftPeer leaderPeer = cluster.peers().get(cluster.leader().orElseThrow());
      assertThat(groupInfo(leaderPeer, RatisTls.parameters(tls4))
          .get(REFUSAL.toSeconds(), TimeUnit.SECONDS).isSuccess()).isTrue();

      // Removed again: refused again by the leader, whose configuration no longer names it.
      cluster.server(0).removePeer("node4", Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
      leaderPeer = cluster.peers().get(cluster.leader().orElseThrow());
      assertRefused(groupInfo(leaderPeer, RatisTls.parameters(tls4)));
    }
  }

  @Test
  void aVoterWhoseCertificateDoesNotNameItsRaftHostIsNotTrusted() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("raft-ca");
    Path ca = authority.writeCertificate(dir.resolve("tls/ca.crt"));
    TestCertificateAuthority.Issued elsewhere =
        authority.issue(dir.resolve("tls"), "node1", List.of("elsewhere.invalid"));
    cluster = new RaftTestCluster(1, dir.resolve("data"), RaftServerSettings.fastFailover(),
        OPTIONS).withTls(id -> Optional.of(new TlsConfig(elsewhere.cert(), elsewhere.key(), ca)))
        .startAll();
    await().atMost(ELECTION).until(() -> cluster.leader().isPresent());
    TestCertificateAuthority.Issued operator = authority.issue(dir.resolve("tls"), "operator");

    // Chain and client certificate are fine; only 127.0.0.1 is missing from the voter's SANs.
    Throwable refusal = assertRefused(groupInfo(cluster.peers().getFirst(), RatisTls.parameters(
        Optional.of(new TlsConfig(operator.cert(), operator.key(), ca)))));
    assertThat(refusal).hasRootCauseInstanceOf(CertificateException.class)
        .rootCause().hasMessageContaining("subject alternative names matching IP address "
            + "127.0.0.1");
  }

  /**
   * Three voters over mTLS, each with a certificate from {@code authority} naming the loopback
   * host, and waits for a leader.
   */
  private void startMutualTlsVoters(TestCertificateAuthority authority, Path ca) {
    cluster = new RaftTestCluster(3, dir.resolve("data"), RaftServerSettings.fastFailover(),
        OPTIONS).withTls(id -> {
          TestCertificateAuthority.Issued issued = authority.issue(dir.resolve("tls"), id);
          return Optional.of(new TlsConfig(issued.cert(), issued.key(), ca));
        }).startAll();
    await().atMost(ELECTION).until(() -> cluster.leader().isPresent());
  }

  /** TLS trusting the CA, without a client certificate: what a non-mTLS peer would send. */
  private static Parameters tlsWithoutCertificate(Path ca) {
    Parameters parameters = new Parameters();
    GrpcConfigKeys.TLS.setConf(parameters,
        new GrpcTlsConfig(null, TlsFiles.trustManagers(ca)[0], false));
    return parameters;
  }

  /** Asks {@code peer} about the group, once, with a client built from {@code parameters}. */
  private static CompletableFuture<GroupInfoReply> groupInfo(RaftPeer peer,
      Parameters parameters) {
    // A virtual thread: the blocking call must not hold one of the common pool's few workers,
    // which Ratis's client itself relies on.
    return CompletableFuture.supplyAsync(() -> {
      RaftProperties properties = new RaftProperties();
      RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
          TimeDuration.valueOf(3, TimeUnit.SECONDS));
      org.apache.ratis.protocol.RaftPeer ratisPeer = org.apache.ratis.protocol.RaftPeer
          .newBuilder().setId(peer.id()).setAddress(peer.address().toString()).build();
      try (RaftClient client = RaftClient.newBuilder()
          .setRaftGroup(RaftGroup.valueOf(RaftPolicyServer.GROUP_ID, ratisPeer))
          .setProperties(properties)
          .setParameters(parameters)
          .setRetryPolicy(RetryPolicies.noRetry())
          .build()) {
        return client.getGroupManagementApi(RaftPeerId.valueOf(peer.id()))
            .info(RaftPolicyServer.GROUP_ID);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Thread::startVirtualThread);
  }

  /** The call fails, soon, as a refused connection: UNAVAILABLE, never a hang or a timeout. */
  private static Throwable assertRefused(CompletableFuture<GroupInfoReply> call) {
    Throwable refusal = catchThrowable(() -> call.get(REFUSAL.toSeconds(), TimeUnit.SECONDS));
    assertThat(refusal).isInstanceOf(ExecutionException.class);
    assertThat(Stream.iterate(refusal, Objects::nonNull, Throwable::getCause))
        .as("the causes of %s", refusal)
        .anySatisfy(cause -> assertThat(cause)
            .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE)));
    return refusal;
  }
}
