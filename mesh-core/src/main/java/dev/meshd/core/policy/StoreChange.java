package dev.meshd.core.policy;

import java.util.Objects;

/**
 * One applied write, as a watcher sees it. Immutable.
 *
 * @param revision the store revision this write produced; consecutive changes differ by one
 * @param type put or delete
 * @param kind which keyspace
 * @param name the document's name
 * @param policy the new version for a policy put; null otherwise
 * @param placement the new version for a placement put; null otherwise
 */
public record StoreChange(
    long revision,
    ChangeType type,
    DocumentKind kind,
    String name,
    Policy policy,
    Placement placement) {

  public StoreChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    boolean policyExpected = type == ChangeType.PUT && kind == DocumentKind.POLICY;
    boolean placementExpected = type == ChangeType.PUT && kind == DocumentKind.PLACEMENT;
    if ((policy != null) != policyExpected || (placement != null) != placementExpected) {
      throw new IllegalArgumentException(type + " " + kind.label() + " \"" + name
          + "\": document (expected: the new version for a put, none for a delete)");
    }
  }

  public static StoreChange put(Policy policy) {
    return new StoreChange(
        policy.revision(), ChangeType.PUT, DocumentKind.POLICY, policy.name(), policy, null);
  }

  public static StoreChange put(Placement placement) {
    return new StoreChange(placement.revision(), ChangeType.PUT, DocumentKind.PLACEMENT,
        placement.name(), null, placement);
  }

  public static StoreChange delete(long revision, DocumentKind kind, String name) {
    return new StoreChange(revision, ChangeType.DELETE, kind, name, null, null);
  }
}
