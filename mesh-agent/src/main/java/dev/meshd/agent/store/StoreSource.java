package dev.meshd.agent.store;

import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.WatchListener;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link StoreView} reads: the listings and the watch of the policy store, with the
 * semantics of {@link PolicyStore} (watch from a revision, inclusive; futures fail with {@code
 * PolicyStoreException}s within a bounded time). A control node reads its own replica ({@link
 * #of(PolicyStore)}); other nodes read a control agent over gRPC ({@link RemoteStoreSource}).
 * Implementations are thread-safe.
 */
public interface StoreSource {

  CompletableFuture<Listing<Policy>> listPolicies();

  CompletableFuture<Listing<Placement>> listPlacements();

  CompletableFuture<Listing<NodeDrain>> listDrains();

  /** As {@link PolicyStore#watch}: every change from {@code fromRevision} (>= 1) on. */
  PolicyStore.Watch watch(long fromRevision, WatchListener listener);

  /** The read side of {@code store}. */
  static StoreSource of(PolicyStore store) {
    return new StoreSource() {
      @Override
      public CompletableFuture<Listing<Policy>> listPolicies() {
        return store.listPolicies();
      }

      @Override
      public CompletableFuture<Listing<Placement>> listPlacements() {
        return store.listPlacements();
      }

      @Override
      public CompletableFuture<Listing<NodeDrain>> listDrains() {
        return store.listDrains();
      }

      @Override
      public PolicyStore.Watch watch(long fromRevision, WatchListener listener) {
        return store.watch(fromRevision, listener);
      }

      @Override
      public String toString() {
        return "local replica";
      }
    };
  }
}
