package dev.meshd.raft.internal;

import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.StoreChange;
import java.util.List;

/**
 * Everything a snapshot file holds, as JSON: the documents, the store revision, and the change
 * history (so watchers on a replica restored from a snapshot can still resume).
 *
 * @param format {@link #FORMAT}; a reader refuses other values instead of misreading them
 * @param revision the store revision
 * @param policies sorted by name
 * @param placements sorted by name
 * @param history retained changes, oldest first
 */
public record SnapshotDocument(
    int format,
    long revision,
    List<Policy> policies,
    List<Placement> placements,
    List<StoreChange> history) {

  public static final int FORMAT = 1;

  public SnapshotDocument {
    policies = policies == null ? List.of() : List.copyOf(policies);
    placements = placements == null ? List.of() : List.copyOf(placements);
    history = history == null ? List.of() : List.copyOf(history);
  }
}
