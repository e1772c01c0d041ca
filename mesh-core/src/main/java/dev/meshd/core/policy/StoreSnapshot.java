package dev.meshd.core.policy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The whole store as of one revision, as a local reader keeps it (for example the agent's store
 * view, which the router and {@code list-nodes} read): every policy, placement and drain, each
 * keyed by name (node id for drains). Immutable: {@link #apply} returns a new snapshot.
 *
 * @param policies by name, sorted
 * @param placements by name, sorted
 * @param drains by node id, sorted
 * @param revision the store revision this snapshot reflects; 0 for the empty store (or before
 *     the first listing)
 */
public record StoreSnapshot(
    Map<String, Policy> policies,
    Map<String, Placement> placements,
    Map<String, NodeDrain> drains,
    long revision) {

  /** No documents, revision 0. */
  public static final StoreSnapshot EMPTY = new StoreSnapshot(Map.of(), Map.of(), Map.of(), 0);

  public StoreSnapshot {
    policies = sorted(policies);
    placements = sorted(placements);
    drains = sorted(drains);
  }

  /** The snapshot of three listings, at the oldest of their revisions. */
  public static StoreSnapshot of(
      Listing<Policy> policies, Listing<Placement> placements, Listing<NodeDrain> drains) {
    return new StoreSnapshot(
        byKey(policies.items(), Policy::name),
        byKey(placements.items(), Placement::name),
        byKey(drains.items(), NodeDrain::nodeId),
        Math.min(policies.revision(), Math.min(placements.revision(), drains.revision())));
  }

  /** The drain of {@code nodeId}, if it is drained. */
  public Optional<NodeDrain> drain(String nodeId) {
    return Optional.ofNullable(drains.get(nodeId));
  }

  public boolean isDraining(String nodeId) {
    return drains.containsKey(nodeId);
  }

  /** This snapshot with {@code change} applied; its revision becomes the change's. */
  public StoreSnapshot apply(StoreChange change) {
    Map<String, Policy> p = policies;
    Map<String, Placement> pl = placements;
    Map<String, NodeDrain> d = drains;
    boolean put = change.type() == ChangeType.PUT;
    switch (change.kind()) {
      case POLICY -> p = with(p, change.name(), put ? change.policy() : null);
      case PLACEMENT -> pl = with(pl, change.name(), put ? change.placement() : null);
      case DRAIN -> d = with(d, change.name(), put ? change.drain() : null);
    }
    return new StoreSnapshot(p, pl, d, Math.max(revision, change.revision()));
  }

  private static <T> Map<String, T> with(Map<String, T> map, String key, T valueOrNull) {
    TreeMap<String, T> copy = new TreeMap<>(map);
    if (valueOrNull == null) {
      copy.remove(key);
    } else {
      copy.put(key, valueOrNull);
    }
    return copy;
  }

  private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
    TreeMap<String, T> map = new TreeMap<>();
    items.forEach(item -> map.put(key.apply(item), item));
    return map;
  }

  private static <T> Map<String, T> sorted(Map<String, T> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
