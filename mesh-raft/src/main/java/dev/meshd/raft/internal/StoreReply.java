package dev.meshd.raft.internal;

import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import java.util.List;
import java.util.Objects;

/**
 * The state machine's answer to a {@link StoreRequest}. Encoded as JSON by {@link StoreCodec}.
 *
 * @param outcome what happened
 * @param revision OK write: the revision it produced; read: the store revision it reflects;
 *     CONFLICT: the document's current revision (0 when absent)
 * @param policy the policy written or read, else null
 * @param placement the placement written or read, else null
 * @param policies a policy LIST, sorted by name, else empty
 * @param placements a placement LIST, sorted by name, else empty
 * @param drain the drain written, else null
 * @param drains a drain LIST, sorted by node id, else empty
 */
public record StoreReply(
    Outcome outcome,
    long revision,
    Policy policy,
    Placement placement,
    List<Policy> policies,
    List<Placement> placements,
    NodeDrain drain,
    List<NodeDrain> drains) {

  /** Decided inside the state machine, so every replica decides the same. */
  public enum Outcome {
    OK,
    CONFLICT,
    NOT_FOUND,
    /** A malformed command (no document for a put, names that differ); nothing changed. */
    MALFORMED
  }

  public StoreReply {
    Objects.requireNonNull(outcome, "outcome");
    policies = policies == null ? List.of() : List.copyOf(policies);
    placements = placements == null ? List.of() : List.copyOf(placements);
    drains = drains == null ? List.of() : List.copyOf(drains);
  }

  public static StoreReply ok(long revision) {
    return new StoreReply(Outcome.OK, revision, null, null, null, null, null, null);
  }

  public static StoreReply conflict(long currentRevision) {
    return new StoreReply(Outcome.CONFLICT, currentRevision, null, null, null, null, null, null);
  }

  public static StoreReply notFound(long storeRevision) {
    return new StoreReply(Outcome.NOT_FOUND, storeRevision, null, null, null, null, null, null);
  }
}
