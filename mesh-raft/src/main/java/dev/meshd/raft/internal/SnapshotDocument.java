package dev.meshd.raft.internal;

import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.StoreChange;
import java.util.List;

/**
 * Everything a snapshot file holds, as JSON: the documents of every kind, the store revision,
 * and the change history (so watchers on a replica restored from a snapshot can still resume).
 *
 * @param format {@link #FORMAT}; a reader refuses other values instead of misreading them
 * @param revision the store revision
 * @param policies sorted by name
 * @param placements sorted by name
 * @param history retained changes, oldest first
 * @param drains sorted by node id; absent from snapshots and exports written before drains
 *     existed, which read as none (so the format stays 1)
 */
public record SnapshotDocument(
    int format,
    long revision,
    List<Policy> policies,
    List<Placement> placements,
    List<StoreChange> history,
    List<NodeDrain> drains) {

  public static final int FORMAT = 1;

  public SnapshotDocument {
    policies = policies == null ? List.of() : List.copyOf(policies);
    placements = placements == null ? List.of() : List.copyOf(placements);
    history = history == null ? List.of() : List.copyOf(history);
    drains = drains == null ? List.of() : List.copyOf(drains);
  }

  /** A snapshot without drains, as before drains existed. */
  public SnapshotDocument(int format, long revision, List<Policy> policies,
      List<Placement> placements, List<StoreChange> history) {
    this(format, revision, policies, placements, history, List.of());
  }

  /** The same documents without the change history (exports leave it out). */
  public SnapshotDocument withoutHistory() {
    return new SnapshotDocument(format, revision, policies, placements, List.of(), drains);
  }
}
