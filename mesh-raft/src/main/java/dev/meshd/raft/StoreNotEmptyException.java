package dev.meshd.raft;

/**
 * A restore refused because the store already holds writes: restoring seeds an empty store only,
 * and nothing changed. Decided by the state machine, identically on every replica.
 */
public final class StoreNotEmptyException extends RuntimeException {

  private final long currentRevision;

  public StoreNotEmptyException(long currentRevision) {
    super("the store is not empty (at revision " + currentRevision
        + "; expected: an empty store, revision 0)");
    this.currentRevision = currentRevision;
  }

  public long currentRevision() {
    return currentRevision;
  }
}
