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

  /** The same placement with {@code status} on the link from stage {@code fromStage}. */
  public Placement withLinkStatus(int fromStage, LinkStatus status) {
    List<StageLink> updated = new java.util.ArrayList<>(links.size());
    for (StageLink l : links) {
      updated.add(l.fromStage() == fromStage ? new StageLink(fromStage, l.toStage(), status) : l);
    }
    return new Placement(name, model, replicas, stages, updated, cordonedNodes, revision);
  }

  /**
   * This placement, written over {@code previous}, with the link statuses that still hold: a
   * link this document leaves pending (or omits) keeps {@code previous}'s status when both of its
   * stages are where they were (same node, same GPUs). So an operator who re-applies a placement
   * file, which never carries statuses, loses nothing that was negotiated; a moved stage starts
   * pending again. Every link between consecutive stages is present in the result. Deterministic:
   * the store applies it on every replica.
   */
  public Placement withLinkStatusesFrom(Placement previous) {
    if (stages.size() < 2) {
      return this;
    }
    java.util.Map<Integer, StageLink> given = new java.util.HashMap<>();
    links.forEach(l -> given.put(l.fromStage(), l));
    java.util.Map<Integer, StageLink> old = new java.util.HashMap<>();
    if (previous != null) {
      previous.links().forEach(l -> old.put(l.fromStage(), l));
    }
    List<Stage> ordered = stages.stream()
        .sorted(java.util.Comparator.comparingInt(Stage::index)).toList();
    List<StageLink> merged = new java.util.ArrayList<>(ordered.size() - 1);
    for (int i = 0; i + 1 < ordered.size(); i++) {
      int from = ordered.get(i).index();
      int to = ordered.get(i + 1).index();
      StageLink link = given.getOrDefault(from, StageLink.pending(from, to));
      StageLink kept = old.get(from);
      if (link.status().state() == LinkState.PENDING && kept != null && kept.toStage() == to
          && kept.status().state() != LinkState.PENDING
          && sameStage(previous, from, ordered.get(i))
          && sameStage(previous, to, ordered.get(i + 1))) {
        link = kept;
      }
      merged.add(link);
    }
    return new Placement(name, model, replicas, stages, merged, cordonedNodes, revision);
  }

  /** Whether {@code previous} had stage {@code index} on the same node and GPUs as {@code now}. */
  private static boolean sameStage(Placement previous, int index, Stage now) {
    return previous.stages().stream().anyMatch(s -> s.index() == index
        && s.nodeId().equals(now.nodeId()) && s.gpus().equals(now.gpus()));
  }
}
