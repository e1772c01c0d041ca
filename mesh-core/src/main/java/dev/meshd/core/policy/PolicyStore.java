package dev.meshd.core.policy;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated store of {@link Policy}, {@link Placement} and {@link NodeDrain} documents: the
 * contract the router and the fabric negotiator read and write through; {@code mesh-raft}
 * implements it.
 *
 * <p>Revisions: the store has one revision that every applied write (deletes included)
 * increments by one; a written document carries the store revision of its write. {@code
 * expectedRevision} makes a write conditional: absent, unconditional; 0, the document must not
 * exist; N, its current revision must be N. A rejected write changes nothing.
 *
 * <p>Every future fails with a {@link PolicyStoreException}: {@link InvalidDocumentException},
 * {@link RevisionConflictException}, {@link NotFoundException} or {@link
 * StoreUnavailableException} (no quorum, closed, or timed out; always within a bounded time).
 * Implementations are thread-safe.
 */
public interface PolicyStore {

  /** Writes {@code policy} (its revision is ignored) and returns it as stored. */
  CompletableFuture<Policy> putPolicy(Policy policy, OptionalLong expectedRevision);

  CompletableFuture<Policy> getPolicy(String name);

  CompletableFuture<Listing<Policy>> listPolicies();

  /**
   * Deletes a policy and returns the store revision of the delete; {@link NotFoundException}
   * when it does not exist, whatever {@code expectedRevision} says.
   */
  CompletableFuture<Long> deletePolicy(String name, OptionalLong expectedRevision);

  /** Writes {@code placement} (its revision is ignored) and returns it as stored. */
  CompletableFuture<Placement> putPlacement(Placement placement, OptionalLong expectedRevision);

  CompletableFuture<Placement> getPlacement(String name);

  CompletableFuture<Listing<Placement>> listPlacements();

  /** Deletes a placement; as {@link #deletePolicy}. */
  CompletableFuture<Long> deletePlacement(String name, OptionalLong expectedRevision);

  /**
   * Drains {@code drain.nodeId()} (its revision is ignored) and returns the drain as stored.
   * Writing it again replaces the reason and time. The node need not be a fleet member.
   */
  CompletableFuture<NodeDrain> putDrain(NodeDrain drain, OptionalLong expectedRevision);

  /**
   * Ends the drain of {@code nodeId} (uncordon) and returns the store revision of the delete;
   * {@link NotFoundException} when the node is not drained, whatever {@code expectedRevision}
   * says.
   */
  CompletableFuture<Long> deleteDrain(String nodeId, OptionalLong expectedRevision);

  /** Every drained node, sorted by node id. */
  CompletableFuture<Listing<NodeDrain>> listDrains();

  /**
   * Calls {@code listener} with every change of every kind whose revision is {@code
   * fromRevision} or later: first those still in the retained history, then each new one. A
   * revision older than the history ends the watch at once with {@link
   * RevisionCompactedException}.
   *
   * @param fromRevision the first revision wanted, >= 1
   */
  Watch watch(long fromRevision, WatchListener listener);

  /** Ends a {@link #watch}; idempotent. No calls follow once it returns, except one in flight. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }
}
