package dev.meshd.raft.internal;

import dev.meshd.core.policy.StoreChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code limit} changes, oldest first, with consecutive revisions. Not thread-safe: its
 * owner ({@link StoreState}) is guarded by the state machine's lock.
 */
public final class ChangeHistory {

  private final int limit;
  private final ArrayDeque<StoreChange> changes = new ArrayDeque<>();

  public ChangeHistory(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit: " + limit + " (expected: >= 1)");
    }
    this.limit = limit;
  }

  public void add(StoreChange change) {
    StoreChange last = changes.peekLast();
    if (last != null && change.revision() != last.revision() + 1) {
      throw new IllegalStateException("revision " + change.revision() + " after "
          + last.revision() + " (expected: " + (last.revision() + 1) + ")");
    }
    changes.addLast(change);
    if (changes.size() > limit) {
      changes.removeFirst();
    }
  }

  /**
   * The changes at {@code fromRevision} and later, or empty when the history no longer holds
   * {@code fromRevision} although the store has passed it.
   *
   * @param storeRevision the store's current revision
   */
  public Optional<List<StoreChange>> from(long fromRevision, long storeRevision) {
    if (fromRevision < oldestRetained(storeRevision)) {
      return Optional.empty();
    }
    List<StoreChange> out = new ArrayList<>();
    for (StoreChange change : changes) {
      if (change.revision() >= fromRevision) {
        out.add(change);
      }
    }
    return Optional.of(out);
  }

  /** The oldest revision a watch may still start from. */
  public long oldestRetained(long storeRevision) {
    StoreChange first = changes.peekFirst();
    return first == null ? storeRevision + 1 : first.revision();
  }

  public List<StoreChange> all() {
    return List.copyOf(changes);
  }

  public void replaceWith(List<StoreChange> retained) {
    changes.clear();
    retained.forEach(this::add);
    while (changes.size() > limit) {
      changes.removeFirst();
    }
  }
}
