package dev.meshd.core.policy;

import java.util.Objects;

/**
 * One applied write, as a watcher sees it. Immutable.
 *
 * @param revision the store revision this write produced; consecutive changes differ by one
 * @param type put or delete
 * @param kind which keyspace
 * @param name the document's name (the node id for a drain)
 * @param policy the new version for a policy put; null otherwise
 * @param placement the new version for a placement put; null otherwise
 * @param drain the new version for a drain put; null otherwise (and in changes written before
 *     drains existed, which are never drain puts)
 */
public record StoreChange(
    long revision,
    ChangeType type,
    DocumentKind kind,
    String name,
    Policy policy,
    Placement placement,
    NodeDrain drain) {

  public StoreChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    boolean put = type == ChangeType.PUT;
    if ((policy != null) != (put && kind == DocumentKind.POLICY)
        || (placement != null) != (put && kind == DocumentKind.PLACEMENT)
        || (drain != null) != (put && kind == DocumentKind.DRAIN)) {
      throw new IllegalArgumentException(type + " " + kind.label() + " \"" + name
          + "\": document (expected: the new version for a put, none for a delete)");
    }
  }

  /** A policy or placement change, as before drains existed. */
  public StoreChange(long revision, ChangeType type, DocumentKind kind, String name,
      Policy policy, Placement placement) {
    this(revision, type, kind, name, policy, placement, null);
  }

  public static StoreChange put(Policy policy) {
    return new StoreChange(
        policy.revision(), ChangeType.PUT, DocumentKind.POLICY, policy.name(), policy, null, null);
  }

  public static StoreChange put(Placement placement) {
    return new StoreChange(placement.revision(), ChangeType.PUT, DocumentKind.PLACEMENT,
        placement.name(), null, placement, null);
  }

  public static StoreChange put(NodeDrain drain) {
    return new StoreChange(drain.revision(), ChangeType.PUT, DocumentKind.DRAIN, drain.nodeId(),
        null, null, drain);
  }

  public static StoreChange delete(long revision, DocumentKind kind, String name) {
    return new StoreChange(revision, ChangeType.DELETE, kind, name, null, null, null);
  }
}
