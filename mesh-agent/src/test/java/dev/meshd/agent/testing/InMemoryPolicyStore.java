package dev.meshd.agent.testing;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.FieldError;
import dev.meshd.core.policy.InvalidDocumentException;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.NodeDrainValidator;
import dev.meshd.core.policy.NotFoundException;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.PlacementValidator;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.PolicyValidator;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link PolicyStore} in memory with the contract's semantics (one store revision, CAS,
 * validation, watches that replay history), plus the faults a reader must survive: {@link
 * #compactThrough}, {@link #breakWatches}, {@link #failListings}. Watch calls are made on the
 * writer's thread. Thread-safe (one lock).
 */
public final class InMemoryPolicyStore implements PolicyStore {

  private final Map<DocumentKind, TreeMap<String, Object>> documents =
      new EnumMap<>(DocumentKind.class);
  private final List<StoreChange> history = new ArrayList<>();
  private final List<WatchListener> watchers = new ArrayList<>();
  private final AtomicInteger listings = new AtomicInteger();
  private long revision;
  private long oldestRetained = 1;
  private int failingListings;

  public InMemoryPolicyStore() {
    for (DocumentKind kind : DocumentKind.values()) {
      documents.put(kind, new TreeMap<>());
    }
  }

  @Override
  public CompletableFuture<Policy> putPolicy(Policy policy, OptionalLong expectedRevision) {
    return put(DocumentKind.POLICY, policy.name(), PolicyValidator.validate(policy),
        expectedRevision, next -> policy.withRevision(next), StoreChange::put);
  }

  @Override
  public CompletableFuture<Policy> getPolicy(String name) {
    return get(DocumentKind.POLICY, name);
  }

  @Override
  public CompletableFuture<Listing<Policy>> listPolicies() {
    return list(DocumentKind.POLICY);
  }

  @Override
  public CompletableFuture<Long> deletePolicy(String name, OptionalLong expectedRevision) {
    return delete(DocumentKind.POLICY, name, expectedRevision);
  }

  @Override
  public CompletableFuture<Placement> putPlacement(Placement placement,
      OptionalLong expectedRevision) {
    return put(DocumentKind.PLACEMENT, placement.name(), PlacementValidator.validate(placement),
        expectedRevision, next -> placement.withRevision(next), StoreChange::put);
  }

  @Override
  public CompletableFuture<Placement> getPlacement(String name) {
    return get(DocumentKind.PLACEMENT, name);
  }

  @Override
  public CompletableFuture<Listing<Placement>> listPlacements() {
    return list(DocumentKind.PLACEMENT);
  }

  @Override
  public CompletableFuture<Long> deletePlacement(String name, OptionalLong expectedRevision) {
    return delete(DocumentKind.PLACEMENT, name, expectedRevision);
  }

  @Override
  public CompletableFuture<NodeDrain> putDrain(NodeDrain drain, OptionalLong expectedRevision) {
    return put(DocumentKind.DRAIN, drain.nodeId(), NodeDrainValidator.validate(drain),
        expectedRevision, next -> drain.withRevision(next), StoreChange::put);
  }

  @Override
  public CompletableFuture<Long> deleteDrain(String nodeId, OptionalLong expectedRevision) {
    return delete(DocumentKind.DRAIN, nodeId, expectedRevision);
  }

  @Override
  public CompletableFuture<Listing<NodeDrain>> listDrains() {
    return list(DocumentKind.DRAIN);
  }

  @Override
  public synchronized Watch watch(long fromRevision, WatchListener listener) {
    if (fromRevision < oldestRetained && fromRevision <= revision) {
      listener.onError(new RevisionCompactedException(fromRevision, oldestRetained));
      return () -> {};
    }
    for (StoreChange change : history) {
      if (change.revision() >= fromRevision) {
        listener.onChange(change);
      }
    }
    watchers.add(listener);
    return () -> {
      synchronized (InMemoryPolicyStore.this) {
        watchers.remove(listener);
      }
    };
  }

  /** Drops the history up to {@code revision} and ends every watch as compacted. */
  public synchronized void compactThrough(long revision) {
    history.removeIf(c -> c.revision() <= revision);
    oldestRetained = revision + 1;
    breakWatches(new RevisionCompactedException(revision, oldestRetained));
  }

  /** Ends every open watch with {@code error}, as a closing store or lost stream would. */
  public synchronized void breakWatches(PolicyStoreException error) {
    List<WatchListener> ending = new ArrayList<>(watchers);
    watchers.clear();
    ending.forEach(w -> w.onError(error));
  }

  /** The next {@code count} listings fail as unavailable. */
  public synchronized void failListings(int count) {
    failingListings = count;
  }

  /** Listing calls so far, of any kind. */
  public int listings() {
    return listings.get();
  }

  public synchronized int openWatches() {
    return watchers.size();
  }

  public synchronized long revision() {
    return revision;
  }

  private synchronized <T> CompletableFuture<T> put(DocumentKind kind, String name,
      List<FieldError> errors, OptionalLong expected, Function<Long, T> stored,
      Function<T, StoreChange> change) {
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(new InvalidDocumentException(kind, errors));
    }
    long current = currentRevision(kind, name);
    if (expected.isPresent() && expected.getAsLong() != current) {
      return CompletableFuture.failedFuture(
          new RevisionConflictException(kind, name, expected.getAsLong(), current));
    }
    T value = stored.apply(++revision);
    documents.get(kind).put(name, value);
    publish(change.apply(value));
    return CompletableFuture.completedFuture(value);
  }

  private synchronized CompletableFuture<Long> delete(DocumentKind kind, String name,
      OptionalLong expected) {
    long current = currentRevision(kind, name);
    if (current == 0) {
      return CompletableFuture.failedFuture(new NotFoundException(kind, name));
    }
    if (expected.isPresent() && expected.getAsLong() != current) {
      return CompletableFuture.failedFuture(
          new RevisionConflictException(kind, name, expected.getAsLong(), current));
    }
    documents.get(kind).remove(name);
    publish(StoreChange.delete(++revision, kind, name));
    return CompletableFuture.completedFuture(revision);
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> CompletableFuture<T> get(DocumentKind kind, String name) {
    Object value = documents.get(kind).get(name);
    return value == null
        ? CompletableFuture.failedFuture(new NotFoundException(kind, name))
        : CompletableFuture.completedFuture((T) value);
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> CompletableFuture<Listing<T>> list(DocumentKind kind) {
    listings.incrementAndGet();
    if (failingListings > 0) {
      failingListings--;
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("no quorum (test)", null));
    }
    return CompletableFuture.completedFuture(
        new Listing<>(new ArrayList<>((java.util.Collection<T>) documents.get(kind).values()),
            revision));
  }

  private long currentRevision(DocumentKind kind, String name) {
    Object value = documents.get(kind).get(name);
    return switch (value) {
      case null -> 0;
      case Policy p -> p.revision();
      case Placement p -> p.revision();
      case NodeDrain d -> d.revision();
      default -> throw new IllegalStateException(value.toString());
    };
  }

  private void publish(StoreChange change) {
    history.add(change);
    List.copyOf(watchers).forEach(w -> w.onChange(change));
  }
}
