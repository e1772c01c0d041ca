package dev.meshd.core.policy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes and GPUs serve a model: either whole {@code replicas}, or pipeline {@code stages}
 * (layer ranges) with the {@code links} between consecutive stages. Kept in the replicated store.
 *
 * <p>Immutable; nulls become empty values. Semantic checks (exactly one of replicas and stages,
 * contiguous layer ranges, ...) live in {@link PlacementValidator}.
 *
 * @param name the key in the store
 * @param model the model served
 * @param replicas whole copies of the model; empty when the model is split into stages
 * @param stages pipeline stages ordered by index; empty for a replicated placement
 * @param links one link per pair of consecutive stages
 * @param cordonedNodes nodes the router must not send new work to for this placement (drain),
 *     sorted
 * @param revision the store revision of the write that produced this version; 0 before the first
 *     write (ignored by puts: the store assigns it)
 */
public record Placement(
    String name,
    String model,
    List<Replica> replicas,
    List<Stage> stages,
    List<StageLink> links,
    Set<String> cordonedNodes,
    long revision) {

  public Placement {
    name = name == null ? "" : name;
    model = model == null ? "" : model;
    replicas = Lists.copyOf(replicas);
    stages = Lists.copyOf(stages);
    links = Lists.copyOf(links);
    cordonedNodes =
        cordonedNodes == null
            ? Set.of()
            : java.util.Collections.unmodifiableSet(
                new TreeSet<>(cordonedNodes.stream().filter(java.util.Objects::nonNull).toList()));
  }

  /** A replicated placement. */
  public static Placement ofReplicas(String name, String model, List<Replica> replicas) {
    return new Placement(name, model, replicas, List.of(), List.of(), Set.of(), 0);
  }

  /** A pipelined placement with a pending link between each pair of consecutive stages. */
  public static Placement ofStages(String name, String model, List<Stage> stages) {
    List<StageLink> links =
        java.util.stream.IntStream.range(1, stages.size())
            .mapToObj(i -> StageLink.pending(i - 1, i))
            .toList();
    return new Placement(name, model, List.of(), stages, links, Set.of(), 0);
  }

  /** True for a placement split into pipeline stages. */
  public boolean isPipelined() {
    return !stages.isEmpty();
  }

  /** The same placement as stored at {@code newRevision}. */
  public Placement withRevision(long newRevision) {
    return new Placement(name, model, replicas, stages, links, cordonedNodes, newRevision);
  }

  /** The same placement with {@code nodeId} cordoned (for {@code drain}). */
  public Placement withCordoned(String nodeId) {
    Set<String> cordoned = new TreeSet<>(cordonedNodes);
    cordoned.add(nodeId);
    return new Placement(name, model, replicas, stages, links, cordoned, revision);
  }

  /** The same placement with {@code nodeId} no longer cordoned (for {@code uncordon}). */
  public Placement withUncordoned(String nodeId) {
    Set<String> cordoned = new TreeSet<>(cordonedNodes);
    cordoned.remove(nodeId);
    return new Placement(name, model, replicas, stages, links, cordoned, revision);
  }
}
