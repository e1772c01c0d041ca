package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.policy.InvalidDocumentException;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NotFoundException;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three voters in one JVM: replication, failover, catch-up through a snapshot, no quorum. */
class RaftPolicyStoreIT {

  private static final Duration ELECTION = Duration.ofSeconds(20);
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

  private RaftTestCluster start(RaftServerSettings settings, StoreOptions options) {
    cluster = new RaftTestCluster(3, dir, settings, options).startAll();
    await().atMost(ELECTION).until(() -> cluster.leader().isPresent());
    return cluster;
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  @Test
  void writesThroughAnyMemberAreReadFromEveryOther() throws Exception {
    start(RaftServerSettings.fastFailover(), OPTIONS);
    PolicyStateMachineTest.Recorder watcher = new PolicyStateMachineTest.Recorder();
    cluster.store(2).watch(1, watcher);

    for (int i = 0; i < 3; i++) {
      Policy stored = get(cluster.store(i).putPolicy(Documents.policy("p" + i),
          OptionalLong.of(0)));
      assertThat(stored.revision()).isEqualTo(i + 1);
    }
    get(cluster.store(1).putPlacement(Documents.placement("pl"), OptionalLong.empty()));

    for (int i = 0; i < 3; i++) {
      Listing<Policy> listing = get(cluster.store(i).listPolicies());
      assertThat(listing.items()).extracting(Policy::name).containsExactly("p0", "p1", "p2");
      assertThat(listing.revision()).isEqualTo(4);
      assertThat(get(cluster.store(i).getPlacement("pl")).revision()).isEqualTo(4);
    }
    RaftPolicyStore serializable =
        cluster.server(2).newStore(OPTIONS.withReadConsistency(ReadConsistency.SERIALIZABLE));
    try (serializable) {
      await().atMost(Duration.ofSeconds(5)).until(
          () -> serializable.listPolicies().get().revision() == 4);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.changes.size() == 4);
    assertThat(watcher.changes).extracting(StoreChange::revision).containsExactly(1L, 2L, 3L, 4L);
    assertThat(dir.resolve("node1").resolve(RaftPolicyServer.GROUP_ID.getUuid().toString()))
        .as("Ratis storage under the configured data dir").isDirectory();
    assertFailsWith(cluster.store(2).putPolicy(Documents.policy("p0"), OptionalLong.of(9)),
        RevisionConflictException.class);
    assertFailsWith(cluster.store(1).deletePolicy("", OptionalLong.empty()),
        InvalidDocumentException.class);
    assertFailsWith(cluster.store(0).getPolicy("missing"), NotFoundException.class);
    assertFailsWith(cluster.store(0).putPolicy(Policy.of("", "m", "nope"), OptionalLong.empty()),
        InvalidDocumentException.class);
  }

  @Test
  void leaderLossElectsANewLeaderAndNoAcknowledgedWriteIsLost() throws Exception {
    start(RaftServerSettings.fastFailover(), OPTIONS);
    List<Long> acknowledged = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      acknowledged.add(get(cluster.store(i % 3).putPolicy(Documents.policy("a" + i),
          OptionalLong.empty())).revision());
    }
    int oldLeader = cluster.leader().orElseThrow();

    cluster.stop(oldLeader);
    await().atMost(ELECTION).until(() -> cluster.leader().filter(l -> l != oldLeader).isPresent());
    int survivor = cluster.anyRunningExcept(oldLeader);
    for (int i = 10; i < 20; i++) {
      acknowledged.add(get(cluster.store(survivor).putPolicy(Documents.policy("a" + i),
          OptionalLong.empty())).revision());
    }
    cluster.start(oldLeader);

    assertThat(acknowledged).isSorted().doesNotHaveDuplicates();
    await().atMost(ELECTION).untilAsserted(() -> assertThat(
        cluster.server(oldLeader).stateMachine().revision()).isEqualTo(20));
    for (int i = 0; i < 3; i++) {
      assertThat(get(cluster.store(i).listPolicies()).items()).hasSize(20);
    }
  }

  @Test
  void aVoterThatWasAwayCatchesUpThroughASnapshotAfterTheLogWasPurged() throws Exception {
    start(RaftServerSettings.fastFailover(), OPTIONS);
    int leader = cluster.leader().orElseThrow();
    int follower = cluster.anyRunningExcept(leader);
    get(cluster.store(leader).putPolicy(Documents.policy("before"), OptionalLong.empty()));
    await().atMost(ELECTION).until(() -> cluster.server(follower).stateMachine().revision() == 1);
    long appliedWhenStopped = cluster.server(follower).appliedIndex();
    cluster.stop(follower);

    int writer = cluster.anyRunningExcept(follower);
    for (int i = 0; i < 80; i++) {
      get(cluster.store(writer).putPlacement(Documents.placement("pl" + i),
          OptionalLong.empty()));
    }
    int current = cluster.leader().orElseThrow();
    await().atMost(ELECTION).until(
        () -> cluster.server(current).logStartIndex() > appliedWhenStopped + 1);
    cluster.start(follower);

    await().atMost(ELECTION).until(
        () -> cluster.server(follower).stateMachine().revision() == 81);
    RaftPolicyStore local = cluster.server(follower)
        .newStore(OPTIONS.withReadConsistency(ReadConsistency.SERIALIZABLE));
    try (local) {
      assertThat(get(local.listPlacements()).items()).hasSize(80);
      assertThat(get(local.getPolicy("before")).revision()).isEqualTo(1);
    }
  }

  @Test
  void withoutQuorumAWriteFailsAsUnavailableWithinTheCallTimeout() throws Exception {
    StoreOptions quick = OPTIONS.withCallTimeout(Duration.ofSeconds(3));
    start(RaftServerSettings.fastFailover(), quick);
    get(cluster.store(0).putPolicy(Documents.policy("ok"), OptionalLong.empty()));
    int leader = cluster.leader().orElseThrow();
    int other = cluster.anyRunningExcept(leader);
    int last = 3 - leader - other;

    cluster.stop(leader);
    cluster.stop(other);
    long startNanos = System.nanoTime();
    assertFailsWith(cluster.store(last).putPolicy(Documents.policy("lost"), OptionalLong.empty()),
        StoreUnavailableException.class);
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

    assertThat(took).isLessThan(Duration.ofSeconds(6));
  }

  private static void assertFailsWith(java.util.concurrent.CompletableFuture<?> future,
      Class<? extends Throwable> type) {
    assertThat(future).failsWithin(Duration.ofSeconds(30))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(type);
  }
}
