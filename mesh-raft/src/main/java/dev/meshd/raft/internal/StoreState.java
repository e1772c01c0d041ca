package dev.meshd.raft.internal;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.StoreChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The store's contents: every keyspace (policies, placements, drains), the store revision and
 * the change history; decides writes (compare-and-set) deterministically, so every replica that
 * applies the same log reaches the same state.
 *
 * <p>Not thread-safe: the state machine guards it with its lock.
 */
public final class StoreState {

  private final TreeMap<String, Policy> policies = new TreeMap<>();
  private final TreeMap<String, Placement> placements = new TreeMap<>();
  private final TreeMap<String, NodeDrain> drains = new TreeMap<>();
  private final ChangeHistory history;
  private long revision;

  public StoreState(int historyLimit) {
    this.history = new ChangeHistory(historyLimit);
  }

  public long revision() {
    return revision;
  }

  public ChangeHistory history() {
    return history;
  }

  /**
   * Applies a write; a rejected one (conflict, missing document, malformed or null command)
   * changes nothing.
   *
   * @param onChange told of the change when the write is accepted
   */
  public StoreReply apply(StoreRequest request, Consumer<StoreChange> onChange) {
    if (request == null || !isWellFormedWrite(request)) {
      return new StoreReply(
          StoreReply.Outcome.MALFORMED, revision, null, null, null, null, null, null);
    }
    if (request.op() == StoreRequest.Op.RESTORE) {
      return restore(request.restore());
    }
    long current = currentRevision(request.kind(), request.name());
    Long expected = request.expectedRevision();
    if (request.op() == StoreRequest.Op.DELETE && current == 0) {
      return StoreReply.notFound(revision);
    }
    if (expected != null && expected != current) {
      return StoreReply.conflict(current);
    }
    long next = revision + 1;
    StoreChange change = switch (request.op()) {
      case PUT -> put(request, next);
      case DELETE -> delete(request, next);
      case GET, LIST, RESTORE ->
          throw new IllegalArgumentException(request.op() + " is not a document write");
    };
    revision = next;
    history.add(change);
    onChange.accept(change);
    return new StoreReply(StoreReply.Outcome.OK, next, change.policy(), change.placement(), null,
        null, change.drain(), null);
  }

  /** Answers a read. */
  public StoreReply read(StoreRequest request) {
    return switch (request.op()) {
      case GET -> get(request.kind(), request.name());
      case LIST -> switch (request.kind()) {
        case POLICY -> new StoreReply(StoreReply.Outcome.OK, revision, null, null,
            new ArrayList<>(policies.values()), null, null, null);
        case PLACEMENT -> new StoreReply(StoreReply.Outcome.OK, revision, null, null, null,
            new ArrayList<>(placements.values()), null, null);
        case DRAIN -> new StoreReply(StoreReply.Outcome.OK, revision, null, null, null, null,
            null, new ArrayList<>(drains.values()));
      };
      case PUT, DELETE, RESTORE ->
          throw new IllegalArgumentException(request.op() + " is not a read");
    };
  }

  public SnapshotDocument toSnapshot() {
    return new SnapshotDocument(SnapshotDocument.FORMAT, revision,
        List.copyOf(policies.values()), List.copyOf(placements.values()), history.all(),
        List.copyOf(drains.values()));
  }

  /** Whether nothing was ever written: revision 0. */
  public boolean isEmpty() {
    return revision == 0 && policies.isEmpty() && placements.isEmpty() && drains.isEmpty();
  }

  /**
   * Loads a saved store, only into an empty one (else CONFLICT carrying the current revision,
   * and nothing changes). The history starts empty at the saved revision: watches of the empty
   * store cannot be continued and are ended by the caller.
   */
  private StoreReply restore(SnapshotDocument saved) {
    if (!isEmpty()) {
      return StoreReply.conflict(revision);
    }
    load(saved.withoutHistory());
    return StoreReply.ok(revision);
  }

  /** Replaces everything with a snapshot's contents. */
  public void load(SnapshotDocument snapshot) {
    if (snapshot.format() != SnapshotDocument.FORMAT) {
      throw new IllegalArgumentException("snapshot format " + snapshot.format()
          + " (expected: " + SnapshotDocument.FORMAT + ")");
    }
    policies.clear();
    placements.clear();
    drains.clear();
    snapshot.policies().forEach(p -> policies.put(p.name(), p));
    snapshot.placements().forEach(p -> placements.put(p.name(), p));
    snapshot.drains().forEach(d -> drains.put(d.nodeId(), d));
    history.replaceWith(snapshot.history());
    revision = snapshot.revision();
  }

  private StoreReply get(DocumentKind kind, String name) {
    return switch (kind) {
      case POLICY -> found(policies.get(name), null, null);
      case PLACEMENT -> found(null, placements.get(name), null);
      case DRAIN -> found(null, null, drains.get(name));
    };
  }

  private StoreReply found(Policy policy, Placement placement, NodeDrain drain) {
    return policy == null && placement == null && drain == null
        ? StoreReply.notFound(revision)
        : new StoreReply(StoreReply.Outcome.OK, revision, policy, placement, null, null, drain,
            null);
  }

  private static boolean isWellFormedWrite(StoreRequest request) {
    return switch (request.op()) {
      case PUT -> switch (request.kind()) {
        case POLICY -> request.policy() != null && request.placement() == null
            && request.drain() == null && request.policy().name().equals(request.name());
        case PLACEMENT -> request.placement() != null && request.policy() == null
            && request.drain() == null && request.placement().name().equals(request.name());
        case DRAIN -> request.drain() != null && request.policy() == null
            && request.placement() == null && request.drain().nodeId().equals(request.name());
      };
      case DELETE -> request.policy() == null && request.placement() == null
          && request.drain() == null;
      case RESTORE -> request.restore() != null
          && request.restore().format() == SnapshotDocument.FORMAT
          && request.restore().revision() >= 0;
      case GET, LIST -> false;
    };
  }

  private long currentRevision(DocumentKind kind, String name) {
    return switch (kind) {
      case POLICY -> policies.containsKey(name) ? policies.get(name).revision() : 0;
      case PLACEMENT -> placements.containsKey(name) ? placements.get(name).revision() : 0;
      case DRAIN -> drains.containsKey(name) ? drains.get(name).revision() : 0;
    };
  }

  private StoreChange put(StoreRequest request, long next) {
    return switch (request.kind()) {
      case POLICY -> {
        Policy stored = request.policy().withRevision(next);
        policies.put(stored.name(), stored);
        yield StoreChange.put(stored);
      }
      case PLACEMENT -> {
        // A rewrite keeps what negotiation found for links whose ends did not move.
        Placement stored = request.placement()
            .withLinkStatusesFrom(placements.get(request.name())).withRevision(next);
        placements.put(stored.name(), stored);
        yield StoreChange.put(stored);
      }
      case DRAIN -> {
        NodeDrain stored = request.drain().withRevision(next);
        drains.put(stored.nodeId(), stored);
        yield StoreChange.put(stored);
      }
    };
  }

  private StoreChange delete(StoreRequest request, long next) {
    switch (request.kind()) {
      case POLICY -> policies.remove(request.name());
      case PLACEMENT -> placements.remove(request.name());
      case DRAIN -> drains.remove(request.name());
    }
    return StoreChange.delete(next, request.kind(), request.name());
  }
}
