package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.core.policy.Policy;
import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group status, membership changes, restore into a fresh group, snapshot notifications. */
class RaftGroupAdminIT {

  private static final Duration ELECTION = Duration.ofSeconds(20);
  private static final Duration STATUS = Duration.ofSeconds(2);
  private static final StoreOptions OPTIONS = new StoreOptions(ReadConsistency.LINEARIZABLE,
      Duration.ofSeconds(8), Duration.ofSeconds(1), 30, Duration.ofMillis(100));

  @TempDir Path dir;
  private RaftTestCluster cluster;
  private final List<AutoCloseable> extra = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : extra.reversed()) {
      c.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void statusShowsOneLeaderTwoFollowersAndAStoppedPeerAsUnreachable() throws Exception {
    startCluster(RaftServerSettings.fastFailover());
    get(cluster.store(0).putPolicy(Documents.policy("p"), OptionalLong.empty()));

    GroupStatus status = await().atMost(Duration.ofSeconds(10))
        .until(() -> get(cluster.server(1).groupStatus(STATUS)),
            s -> s.peers().stream().allMatch(p -> p.lag() == 0));
    assertThat(status.answeredBy()).isEqualTo("node2");
    assertThat(status.peers()).extracting(PeerStatus::id)
        .containsExactly("node1", "node2", "node3");
    assertThat(status.peers()).extracting(PeerStatus::role)
        .containsOnlyOnce(PeerRole.LEADER)
        .filteredOn(r -> r == PeerRole.FOLLOWER).hasSize(2);
    assertThat(status.peers()).allMatch(PeerStatus::voter)
        .allMatch(p -> p.appliedIndex() >= 1 && p.commitIndex() >= p.appliedIndex());
    assertThat(status.leaderId()).contains(
        status.peers().stream().filter(p -> p.role() == PeerRole.LEADER).findFirst()
            .orElseThrow().id());
    assertThat(status.term()).isPositive();

    int stopped = cluster.leader().map(l -> l == 2 ? 1 : 2).orElse(2);
    cluster.stop(stopped);
    int asker = cluster.anyRunningExcept(stopped);
    long started = System.nanoTime();
    GroupStatus degraded = get(cluster.server(asker).groupStatus(STATUS));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    PeerStatus down = degraded.peers().get(stopped);
    assertThat(down.role()).isEqualTo(PeerRole.UNREACHABLE);
    assertThat(down.problem()).isPresent();
    assertThat(down.appliedIndex()).isEqualTo(-1);
    assertThat(degraded.peers()).filteredOn(p -> p.role() != PeerRole.UNREACHABLE).hasSize(2);
  }

  @Test
  void aStartedFourthServerIsAddedCatchesUpAndAFollowerIsRemoved() throws Exception {
    startCluster(RaftServerSettings.fastFailover());
    for (int i = 0; i < 5; i++) {
      get(cluster.store(0).putPolicy(Documents.policy("p" + i), OptionalLong.empty()));
    }
    RaftPeer fourth = new RaftPeer("node4", new HostPort("127.0.0.1", FreePorts.loopback()));
    RaftPolicyServer server4 = startOutsideTheGroup(fourth);

    GroupStatus four = get(cluster.server(0).addPeer("node4", fourth.address(),
        Duration.ofSeconds(30)));

    assertThat(four.peers()).extracting(PeerStatus::id)
        .containsExactly("node1", "node2", "node3", "node4");
    assertThat(four.peers()).allMatch(PeerStatus::voter);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> server4.stateMachine().revision() == 5);

    int follower = cluster.leader().map(l -> l == 2 ? 1 : 2).orElseThrow();
    String followerId = "node" + (follower + 1);
    GroupStatus three = get(cluster.server(0).removePeer(followerId, Duration.ofSeconds(30)));
    assertThat(three.peers()).extracting(PeerStatus::id).doesNotContain(followerId).hasSize(3);
    // The group still takes writes with the new voter in it.
    assertThat(get(cluster.store(0).putPolicy(Documents.policy("after"), OptionalLong.empty()))
        .revision()).isEqualTo(6);
  }

  @Test
  void aVoterAddedRightAfterAnElectionJoins() throws Exception {
    // What an operator does at 3 a.m.: a voter died, a leader was just elected, and the
    // replacement is added at once, through whichever voter answers the CLI (not the leader).
    startCluster(RaftServerSettings.fastFailover());
    int leader = cluster.leader().orElseThrow();
    int asked = (leader + 1) % 3;
    RaftPeer fourth = new RaftPeer("node4", new HostPort("127.0.0.4", FreePorts.loopback()));
    RaftPolicyServer server4 = startOutsideTheGroup(fourth);

    GroupStatus four = get(cluster.server(asked).addPeer("node4", fourth.address(),
        Duration.ofSeconds(30)));

    assertThat(four.peers()).extracting(PeerStatus::id).contains("node4");
    get(cluster.store(0).putPolicy(Documents.policy("after-join"), OptionalLong.empty()));
    await().atMost(Duration.ofSeconds(20)).until(() -> server4.stateMachine().revision() == 1);
  }

  @Test
  void membershipMistakesAreRefusedBeforeAnythingChanges() throws Exception {
    startCluster(RaftServerSettings.fastFailover());
    RaftPolicyServer server = cluster.server(0);
    HostPort used = peersOf(cluster).get(1).address();

    assertMembershipError(server.addPeer("node2", new HostPort("127.0.0.1", 1), STATUS),
        "\"node2\" is already a member");
    assertMembershipError(server.addPeer("node9", used, STATUS),
        "address " + used + " is already used by peer \"node2\"");
    assertMembershipError(server.removePeer("node9", STATUS),
        "\"node9\" is not a member (expected: one of [node1, node2, node3])");
    assertMembershipError(server.addPeer("bad id!", new HostPort("127.0.0.1", 1), STATUS),
        "peer id \"bad id!\"");
    assertThat(get(server.groupStatus(STATUS)).peers()).hasSize(3);
  }

  @Test
  void anExportRestoresIntoAFreshGroupAndRevisionsContinue() throws Exception {
    startCluster(RaftServerSettings.fastFailover());
    get(cluster.store(0).putPolicy(Documents.policy("a"), OptionalLong.empty()));
    get(cluster.store(1).putPlacement(Documents.placement("b"), OptionalLong.empty()));
    Policy a2 = get(cluster.store(2).putPolicy(Documents.policy("a"), OptionalLong.empty()));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.server(0).stateMachine().revision() == 3);
    StoreExport export = StoreExport.parse(cluster.server(0).export().json());

    List<Duration> snapshots = new CopyOnWriteArrayList<>();
    RaftPeer solo = new RaftPeer("solo", new HostPort("127.0.0.1", FreePorts.loopback()));
    RaftPolicyServer fresh = RaftPolicyServer.builder().nodeId("solo").peers(List.of(solo))
        .dataDir(dir.resolve("fresh"))
        .settings(RaftServerSettings.fastFailover().withSnapshotThreshold(3))
        .snapshotListener(snapshots::add)
        .build();
    fresh.start();
    extra.add(fresh);
    RaftPolicyStore store = fresh.newStore(OPTIONS);
    extra.add(store);

    assertThat(get(store.restore(export))).isEqualTo(3);
    assertThat(get(store.getPolicy("a"))).isEqualTo(a2);
    assertThat(get(store.getPlacement("b")).revision()).isEqualTo(2);
    assertThat(get(store.putPolicy(Documents.policy("c"), OptionalLong.of(0))).revision())
        .isEqualTo(4);
    assertThatThrownBy(() -> get(store.restore(export)))
        .hasCauseInstanceOf(StoreNotEmptyException.class)
        .hasMessageContaining("at revision 4");
    // Enough log entries for the threshold: the state machine snapshots and says how long.
    get(store.putPolicy(Documents.policy("d"), OptionalLong.empty()));
    await().atMost(Duration.ofSeconds(10)).until(() -> !snapshots.isEmpty());
    assertThat(snapshots.getFirst()).isPositive();
  }

  private void startCluster(RaftServerSettings settings) {
    cluster = new RaftTestCluster(3, dir, settings, OPTIONS).startAll();
    await().atMost(ELECTION).until(() -> cluster.leader().isPresent());
  }

  /** Starts {@code peer}, which knows the group's voters, before the group adds it. */
  private RaftPolicyServer startOutsideTheGroup(RaftPeer peer) throws IOException {
    List<RaftPeer> all = new ArrayList<>(peersOf(cluster));
    all.add(peer);
    RaftPolicyServer server = RaftPolicyServer.builder().nodeId(peer.id()).peers(all)
        .dataDir(dir.resolve(peer.id())).settings(RaftServerSettings.fastFailover()).build();
    server.start();
    extra.add(server);
    return server;
  }

  private static List<RaftPeer> peersOf(RaftTestCluster cluster) {
    return cluster.server(0).group().getPeers().stream()
        .map(p -> new RaftPeer(p.getId().toString(), dev.meshd.core.config.HostPort.parse(
            p.getAddress())))
        .sorted(java.util.Comparator.comparing(RaftPeer::id))
        .toList();
  }

  private static void assertMembershipError(CompletableFuture<GroupStatus> change,
      String inMessage) {
    assertThatThrownBy(() -> get(change))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MembershipException.class)
        .hasMessageContaining(inMessage);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(40, TimeUnit.SECONDS);
  }
}
