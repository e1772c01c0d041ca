package dev.meshd.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.testing.InMemoryPolicyStore;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreViewTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();
  private StoreView view;

  @AfterEach
  void close() {
    if (view != null) {
      view.close();
    }
  }

  private StoreView start(StoreSource source) {
    view = new StoreView(source, Duration.ofMillis(10), Duration.ofMillis(50), System::nanoTime);
    view.start();
    return view;
  }

  private static NodeDrain drain(String node) {
    return NodeDrain.of(node, "maintenance", AT);
  }

  private StoreSnapshot atRevision(long revision) throws Exception {
    return view.awaitRevision(revision).get(5, TimeUnit.SECONDS);
  }

  @Test
  void listsEveryKindThenFollowsChanges() throws Exception {
    store.putPolicy(Policy.of("p", "llama-*", "hybrid"), OptionalLong.empty()).join();
    store.putDrain(drain("node2"), OptionalLong.empty()).join();
    start(StoreSource.of(store));

    StoreSnapshot listed = atRevision(2);
    assertThat(listed.policies()).containsOnlyKeys("p");
    assertThat(listed.isDraining("node2")).isTrue();

    store.putDrain(drain("node3"), OptionalLong.empty()).join();
    store.deleteDrain("node2", OptionalLong.empty()).join();

    StoreSnapshot followed = atRevision(4);
    assertThat(followed.drains()).containsOnlyKeys("node3");
    assertThat(view.snapshot()).isEqualTo(followed);
  }

  @Test
  void theSnapshotIsEmptyBeforeTheFirstListingAndListenersSeeEveryRevisionInOrder()
      throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    view = new StoreView(StoreSource.of(store), Duration.ofMillis(10), Duration.ofMillis(50),
        System::nanoTime);
    view.onChange(s -> seen.add(s.revision()));
    assertThat(view.snapshot()).isEqualTo(StoreSnapshot.EMPTY);
    view.start();
    atRevision(0);

    for (int i = 1; i <= 5; i++) {
      store.putDrain(drain("n" + i), OptionalLong.empty()).join();
    }

    atRevision(5);
    await().atMost(WAIT).until(() -> seen.size() == 6);
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aChangeTheListingAlreadyReflectsIsNotAppliedAgain() throws Exception {
    store.putPolicy(Policy.of("p", "m", "hybrid"), OptionalLong.empty()).join();
    // Between the policy listing (revision 1) and the drain listing (revision 3), node9 is
    // drained and uncordoned: replaying the drain's put would show it drained for a moment.
    StoreSource racing = new DelegatingSource(StoreSource.of(store)) {
      @Override
      public CompletableFuture<Listing<NodeDrain>> listDrains() {
        store.putDrain(drain("node9"), OptionalLong.empty()).join();
        store.deleteDrain("node9", OptionalLong.empty()).join();
        return super.listDrains();
      }
    };
    List<StoreSnapshot> seen = new CopyOnWriteArrayList<>();
    view = new StoreView(racing, Duration.ofMillis(10), Duration.ofMillis(50), System::nanoTime);
    view.onChange(seen::add);
    view.start();

    atRevision(3);
    assertThat(seen).extracting(StoreSnapshot::revision).containsExactly(1L, 2L, 3L);
    assertThat(seen).allSatisfy(s -> assertThat(s.isDraining("node9")).isFalse());
    assertThat(seen.getLast().policies()).containsOnlyKeys("p");
  }

  @Test
  void relistsAfterTheHistoryIsCompacted() throws Exception {
    start(StoreSource.of(store));
    atRevision(0);
    int listingsBefore = store.listings();

    store.putDrain(drain("node2"), OptionalLong.empty()).join();
    atRevision(1);
    store.compactThrough(1);
    store.putDrain(drain("node3"), OptionalLong.empty()).join();

    StoreSnapshot after = atRevision(2);
    assertThat(after.drains()).containsOnlyKeys("node2", "node3");
    await().atMost(WAIT).until(() -> store.listings() > listingsBefore);
    await().atMost(WAIT).until(() -> store.openWatches() == 1);
  }

  @Test
  void relistsWithBackoffWhenTheWatchBreaksOrListingsFail() throws Exception {
    start(StoreSource.of(store));
    atRevision(0);

    store.failListings(4);
    store.breakWatches(new StoreUnavailableException("control agent went away", null));
    store.putDrain(drain("node2"), OptionalLong.empty()).join();

    assertThat(atRevision(1).isDraining("node2")).isTrue();
    await().atMost(WAIT).until(() -> store.openWatches() == 1);
    store.putDrain(drain("node3"), OptionalLong.empty()).join();
    assertThat(atRevision(2).drains()).containsOnlyKeys("node2", "node3");
  }

  @Test
  void aSourceThatThrowsIsRetriedLikeAFailedListing() throws Exception {
    java.util.concurrent.atomic.AtomicInteger throwsLeft =
        new java.util.concurrent.atomic.AtomicInteger(2);
    store.putDrain(drain("node2"), OptionalLong.empty()).join();
    start(new DelegatingSource(StoreSource.of(store)) {
      @Override
      public CompletableFuture<Listing<Policy>> listPolicies() {
        if (throwsLeft.getAndDecrement() > 0) {
          throw new IllegalStateException("agent channels closed");
        }
        return super.listPolicies();
      }
    });

    assertThat(atRevision(1).isDraining("node2")).isTrue();
  }

  @Test
  void closeStopsWatchingAndFailsWaiters() throws Exception {
    start(StoreSource.of(store));
    atRevision(0);
    CompletableFuture<StoreSnapshot> never = view.awaitRevision(99);

    view.close();
    view.close();

    assertThat(store.openWatches()).isZero();
    assertThat(never).isCompletedExceptionally();
    assertThat(view.awaitRevision(5)).isCompletedExceptionally();
  }

  /** Passes every call on; tests override one. */
  static class DelegatingSource implements StoreSource {
    private final StoreSource delegate;

    DelegatingSource(StoreSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Listing<Policy>> listPolicies() {
      return delegate.listPolicies();
    }

    @Override
    public CompletableFuture<Listing<Placement>> listPlacements() {
      return delegate.listPlacements();
    }

    @Override
    public CompletableFuture<Listing<NodeDrain>> listDrains() {
      return delegate.listDrains();
    }

    @Override
    public PolicyStore.Watch watch(long fromRevision, WatchListener listener) {
      return delegate.watch(fromRevision, listener);
    }
  }
}
