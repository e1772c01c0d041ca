package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.policy.ChangeType;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreReply.Outcome;
import dev.meshd.raft.internal.StoreRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStateMachineTest {

  @TempDir Path dir;
  private StateMachineHarness sm;
  private final Recorder recorder = new Recorder();

  @BeforeEach
  void start() throws Exception {
    sm = new StateMachineHarness(dir, 5);
  }

  @AfterEach
  void stop() throws Exception {
    sm.close();
  }

  private StoreReply put(String name, Long expected) {
    return sm.apply(StoreRequest.put(Documents.policy(name), expected));
  }

  @Test
  void everyAcceptedWriteGetsTheNextStoreRevisionAcrossBothKeyspaces() {
    assertThat(put("a", null).revision()).isEqualTo(1);
    assertThat(sm.apply(StoreRequest.put(Documents.placement("a"), null)).revision())
        .isEqualTo(2);
    StoreReply again = put("a", null);

    assertThat(again.outcome()).isEqualTo(Outcome.OK);
    assertThat(again.revision()).isEqualTo(3);
    assertThat(again.policy().revision()).isEqualTo(3);
    assertThat(sm.query(StoreRequest.get(DocumentKind.PLACEMENT, "a")).placement())
        .isEqualTo(Documents.placement("a").withRevision(2));
  }

  @Test
  void compareAndSetAcceptsTheCurrentRevisionAndARejectedWriteChangesNothing() {
    put("a", 0L);
    StoreReply mustNotExist = put("a", 0L);
    StoreReply stale = put("a", 7L);

    assertThat(mustNotExist.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(mustNotExist.revision()).as("current revision").isEqualTo(1);
    assertThat(stale.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(sm.stateMachine.revision()).isEqualTo(1);
    assertThat(put("a", 1L).revision()).isEqualTo(2);
    assertThat(put("b", 5L).outcome()).as("CAS on a missing document").isEqualTo(Outcome.CONFLICT);
    assertThat(sm.stateMachine.revision()).isEqualTo(2);
  }

  @Test
  void deletesAreWritesAndMayBeConditional() {
    put("a", null);
    StoreReply wrongRevision = sm.apply(StoreRequest.delete(DocumentKind.POLICY, "a", 9L));
    StoreReply deleted = sm.apply(StoreRequest.delete(DocumentKind.POLICY, "a", 1L));
    StoreReply again = sm.apply(StoreRequest.delete(DocumentKind.POLICY, "a", null));

    assertThat(wrongRevision.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(deleted.outcome()).isEqualTo(Outcome.OK);
    assertThat(deleted.revision()).isEqualTo(2);
    assertThat(again.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(sm.query(StoreRequest.get(DocumentKind.POLICY, "a")).outcome())
        .isEqualTo(Outcome.NOT_FOUND);
    assertThat(put("a", 0L).revision()).as("recreated after delete").isEqualTo(3);
  }

  @Test
  void malformedEntriesAreRefusedWithoutChangingAnything() {
    StoreRequest mismatched = new StoreRequest(StoreRequest.Op.PUT, DocumentKind.POLICY, "x",
        null, null, Documents.placement("x"), null);

    assertThat(sm.apply(mismatched).outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(sm.stateMachine.revision()).isZero();
    assertThat(sm.stateMachine.getLastAppliedTermIndex().getIndex()).isEqualTo(1);
  }

  @Test
  void listsAreSortedAndCarryTheStoreRevision() {
    put("b", null);
    put("a", null);

    StoreReply list = sm.query(StoreRequest.list(DocumentKind.POLICY));

    assertThat(list.policies()).extracting(p -> p.name()).containsExactly("a", "b");
    assertThat(list.revision()).isEqualTo(2);
  }

  @Test
  void watchReplaysFromARevisionThenFollowsNewChangesInOrder() {
    put("a", null);
    put("b", null);
    sm.apply(StoreRequest.delete(DocumentKind.POLICY, "a", null));

    PolicyStore.Watch watch = sm.stateMachine.watch(2, recorder);
    put("c", null);
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.changes.size() == 3);
    watch.close();
    put("d", null);

    assertThat(recorder.changes).extracting(StoreChange::revision).containsExactly(2L, 3L, 4L);
    assertThat(recorder.changes.get(1).type()).isEqualTo(ChangeType.DELETE);
    assertThat(recorder.changes.get(2).policy().name()).isEqualTo("c");
    assertThat(recorder.changes).as("nothing after close").hasSize(3);
  }

  @Test
  void watchFromARevisionOlderThanTheHistoryFailsOutOfRange() {
    for (int i = 0; i < 8; i++) {
      put("p" + i, null);
    }

    sm.stateMachine.watch(2, recorder);

    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.error.get() != null);
    assertThat(recorder.error.get()).isInstanceOfSatisfying(RevisionCompactedException.class,
        e -> assertThat(e.oldestRetainedRevision()).isEqualTo(4));
    assertThat(recorder.changes).isEmpty();
    assertThatThrownBy(() -> sm.stateMachine.watch(0, recorder))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWatcherThatFallsTooFarBehindIsCancelledSoApplyNeverWaits() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Recorder blocked = new Recorder() {
      @Override
      public void onChange(StoreChange change) {
        awaitQuietly(release);
        super.onChange(change);
      }
    };
    sm.stateMachine.watch(1, blocked);

    for (int i = 0; i < 8; i++) {
      put("p" + i, null);
    }
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> blocked.error.get() != null);
    assertThat(blocked.error.get()).isInstanceOf(RevisionCompactedException.class);
    assertThat(sm.stateMachine.revision()).isEqualTo(8);
  }

  @Test
  void snapshotRoundTripRestoresDocumentsRevisionAndHistory() throws Exception {
    put("a", null);
    sm.apply(StoreRequest.put(Documents.placement("pl"), null));
    put("b", null);
    sm.apply(StoreRequest.delete(DocumentKind.POLICY, "a", null));
    StoreReply policiesBefore = sm.query(StoreRequest.list(DocumentKind.POLICY));
    StoreReply placementsBefore = sm.query(StoreRequest.list(DocumentKind.PLACEMENT));

    long snapshotIndex = sm.stateMachine.takeSnapshot();
    sm.close();
    sm = new StateMachineHarness(dir, 5);

    assertThat(snapshotIndex).isEqualTo(4);
    assertThat(sm.stateMachine.getLastAppliedTermIndex().getIndex()).isEqualTo(4);
    assertThat(sm.query(StoreRequest.list(DocumentKind.POLICY))).isEqualTo(policiesBefore);
    assertThat(sm.query(StoreRequest.list(DocumentKind.PLACEMENT))).isEqualTo(placementsBefore);
    assertThat(put("c", null).revision()).isEqualTo(5);
    sm.stateMachine.watch(2, recorder);
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.changes.size() == 4);
    assertThat(recorder.changes).extracting(StoreChange::revision)
        .containsExactly(2L, 3L, 4L, 5L);
    assertThat(recorder.changes.get(0).placement()).isEqualTo(
        Documents.placement("pl").withRevision(2));
  }

  @Test
  void closingTheStateMachineEndsWatchesAsUnavailable() throws Exception {
    sm.stateMachine.watch(1, recorder);

    sm.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.error.get() != null);
    assertThat(recorder.error.get()).isInstanceOf(StoreUnavailableException.class);
    Recorder late = new Recorder();
    sm.stateMachine.watch(1, late);
    assertThat(late.error.get()).as("a watch after close fails at once")
        .isInstanceOf(StoreUnavailableException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static class Recorder implements WatchListener {
    final List<StoreChange> changes = new CopyOnWriteArrayList<>();
    final AtomicReference<PolicyStoreException> error = new AtomicReference<>();

    @Override
    public void onChange(StoreChange change) {
      changes.add(change);
    }

    @Override
    public void onError(PolicyStoreException e) {
      error.set(e);
    }
  }
}
