package dev.meshd.core.policy;

import java.time.Instant;

/**
 * A node an operator drained ({@code mesh-cli drain NODE}): routers send it no new requests
 * while the streams it already serves finish. Kept in the replicated store, one document per
 * node, keyed by the node id; {@code uncordon} deletes it. Unlike {@link
 * Placement#cordonedNodes()} it applies to every placement at once.
 *
 * <p>Immutable; nulls become empty values, except {@code requestedAt}. Semantic checks live in
 * {@link NodeDrainValidator}.
 *
 * @param nodeId the drained node, and the key in the store
 * @param reason why, for the next operator (may be empty)
 * @param requestedAt when the drain was asked for, by the clock of the agent that accepted it
 * @param revision the store revision of the write that produced this version; 0 before the first
 *     write (ignored by puts: the store assigns it)
 */
public record NodeDrain(String nodeId, String reason, Instant requestedAt, long revision) {

  public NodeDrain {
    nodeId = nodeId == null ? "" : nodeId;
    reason = reason == null ? "" : reason;
  }

  /** A drain of {@code nodeId} asked for at {@code requestedAt}, not yet stored. */
  public static NodeDrain of(String nodeId, String reason, Instant requestedAt) {
    return new NodeDrain(nodeId, reason, requestedAt, 0);
  }

  /** The same drain as stored at {@code newRevision}. */
  public NodeDrain withRevision(long newRevision) {
    return new NodeDrain(nodeId, reason, requestedAt, newRevision);
  }
}
