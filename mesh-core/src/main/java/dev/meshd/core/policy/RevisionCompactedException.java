package dev.meshd.core.policy;

/**
 * A watch asked for changes older than the retained history, or fell so far behind that they
 * left it (gRPC {@code OUT_OF_RANGE}). The client lists again and watches from there.
 */
public final class RevisionCompactedException extends PolicyStoreException {

  private final long requestedRevision;
  private final long oldestRetainedRevision;

  public RevisionCompactedException(long requestedRevision, long oldestRetainedRevision) {
    super("revision " + requestedRevision + " is no longer in the change history (expected: >= "
        + oldestRetainedRevision + "; list again and watch from the listing's revision + 1)",
        null);
    this.requestedRevision = requestedRevision;
    this.oldestRetainedRevision = oldestRetainedRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }

  public long oldestRetainedRevision() {
    return oldestRetainedRevision;
  }
}
