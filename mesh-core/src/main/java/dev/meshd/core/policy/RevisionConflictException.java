package dev.meshd.core.policy;

/**
 * A conditional write found another revision than it expected (gRPC {@code
 * FAILED_PRECONDITION}); nothing was written.
 */
public final class RevisionConflictException extends PolicyStoreException {

  private final DocumentKind kind;
  private final String name;
  private final long expectedRevision;
  private final long currentRevision;

  /**
   * @param currentRevision the document's revision when the write was decided; 0 when it does not
   *     exist
   */
  public RevisionConflictException(
      DocumentKind kind, String name, long expectedRevision, long currentRevision) {
    super("revision conflict: " + kind.label() + " \"" + name + "\" is at revision "
        + currentRevision + " (expected: " + expectedRevision
        + (expectedRevision == 0 ? ", must not exist" : "") + ")", null);
    this.kind = kind;
    this.name = name;
    this.expectedRevision = expectedRevision;
    this.currentRevision = currentRevision;
  }

  public DocumentKind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public long expectedRevision() {
    return expectedRevision;
  }

  /** The document's revision when the write was decided; 0 when it does not exist. */
  public long currentRevision() {
    return currentRevision;
  }
}
