package dev.meshd.raft.internal;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import java.util.Objects;

/**
 * One command to the store: a write (PUT, DELETE) that goes through the Raft log, or a read (GET,
 * LIST) that the state machine answers from its state. Encoded as JSON by {@link StoreCodec}.
 *
 * @param op what to do
 * @param kind which keyspace
 * @param name the document (empty for LIST)
 * @param expectedRevision null: unconditional; 0: must not exist; N: must be at N
 * @param policy the document of a policy PUT, else null
 * @param placement the document of a placement PUT, else null
 * @param restore the saved store of a RESTORE, else null
 * @param drain the document of a drain PUT, else null (absent from entries older than drains)
 */
public record StoreRequest(
    Op op,
    DocumentKind kind,
    String name,
    Long expectedRevision,
    Policy policy,
    Placement placement,
    SnapshotDocument restore,
    NodeDrain drain) {

  /** The operations; PUT, DELETE and RESTORE are writes. */
  public enum Op {
    PUT,
    DELETE,
    GET,
    LIST,
    /** Loads a saved store into an empty one (every keyspace; {@code kind} is ignored). */
    RESTORE;

    public boolean isWrite() {
      return this == PUT || this == DELETE || this == RESTORE;
    }
  }

  public StoreRequest {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(kind, "kind");
    name = name == null ? "" : name;
  }

  /** A command without a drain, as before drains existed. */
  public StoreRequest(Op op, DocumentKind kind, String name, Long expectedRevision, Policy policy,
      Placement placement, SnapshotDocument restore) {
    this(op, kind, name, expectedRevision, policy, placement, restore, null);
  }

  public static StoreRequest put(NodeDrain drain, Long expectedRevision) {
    return new StoreRequest(
        Op.PUT, DocumentKind.DRAIN, drain.nodeId(), expectedRevision, null, null, null, drain);
  }

  public static StoreRequest put(Policy policy, Long expectedRevision) {
    return new StoreRequest(
        Op.PUT, DocumentKind.POLICY, policy.name(), expectedRevision, policy, null, null);
  }

  public static StoreRequest put(Placement placement, Long expectedRevision) {
    return new StoreRequest(
        Op.PUT, DocumentKind.PLACEMENT, placement.name(), expectedRevision, null, placement, null);
  }

  public static StoreRequest delete(DocumentKind kind, String name, Long expectedRevision) {
    return new StoreRequest(Op.DELETE, kind, name, expectedRevision, null, null, null);
  }

  public static StoreRequest get(DocumentKind kind, String name) {
    return new StoreRequest(Op.GET, kind, name, null, null, null, null);
  }

  public static StoreRequest list(DocumentKind kind) {
    return new StoreRequest(Op.LIST, kind, "", null, null, null, null);
  }

  public static StoreRequest restore(SnapshotDocument saved) {
    return new StoreRequest(Op.RESTORE, DocumentKind.POLICY, "", null, null, null, saved);
  }
}
