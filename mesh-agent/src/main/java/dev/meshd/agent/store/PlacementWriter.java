package dev.meshd.agent.store;

import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.PolicyStore;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * How an agent itself writes a placement (the fabric's link statuses): through its own replica
 * on a control node, through a control agent elsewhere (agent credential). Writes are
 * compare-and-set on the placement's revision, so an agent never overwrites an operator's change
 * it has not seen: a {@code RevisionConflictException} means "read again and decide again".
 */
@FunctionalInterface
public interface PlacementWriter {

  CompletableFuture<Placement> putPlacement(Placement placement, OptionalLong expectedRevision);

  /** Writes into {@code store}. */
  static PlacementWriter of(PolicyStore store) {
    return store::putPlacement;
  }
}
