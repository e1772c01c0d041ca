package dev.meshd.core.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link Placement} before it is written and reports every problem at once, each naming
 * its field. Stateless and thread-safe.
 *
 * <p>Stage rules: indexes run 0..n-1 in list order; layer ranges start at layer 0 and follow each
 * other without gap or overlap. Links are optional (the fabric negotiator adds them), but each
 * present link joins a stage to the next one, once.
 */
public final class PlacementValidator {

  /** More replicas than any fleet has GPUs is a generated mistake. */
  public static final int MAX_REPLICAS = 4096;

  /** Models have at most a few hundred layers, so stages are fewer still. */
  public static final int MAX_STAGES = 1024;

  private PlacementValidator() {}

  /** The problems of {@code placement}; empty when it may be stored. */
  public static List<FieldError> validate(Placement placement) {
    List<FieldError> errors = new ArrayList<>();
    DocumentChecks.checkName("name", placement.name(), errors);
    DocumentChecks.checkNonEmpty("model", placement.model(), "a model name", errors);
    boolean hasReplicas = !placement.replicas().isEmpty();
    boolean hasStages = !placement.stages().isEmpty();
    if (hasReplicas && hasStages) {
      errors.add(new FieldError("replicas",
          "and stages both set (expected: either replicas or stages)"));
    } else if (!hasReplicas && !hasStages) {
      errors.add(new FieldError("replicas",
          "and stages both empty (expected: either replicas or stages)"));
    }
    checkReplicas(placement.replicas(), errors);
    checkStages(placement.stages(), errors);
    checkLinks(placement, errors);
    for (String node : placement.cordonedNodes()) {
      if (node.isBlank()) {
        errors.add(new FieldError("cordonedNodes", "empty node id (expected: a node id)"));
      }
    }
    return List.copyOf(errors);
  }

  private static void checkReplicas(List<Replica> replicas, List<FieldError> errors) {
    DocumentChecks.checkAtMost("replicas", replicas.size(), MAX_REPLICAS, errors);
    for (int i = 0; i < replicas.size(); i++) {
      String field = "replicas[" + i + "]";
      Replica replica = replicas.get(i);
      if (replica == null) {
        errors.add(new FieldError(field, "null (expected: a replica)"));
        continue;
      }
      DocumentChecks.checkNonEmpty(field + ".nodeId", replica.nodeId(), "a node id", errors);
      DocumentChecks.checkGpus(field + ".gpus", replica.gpus(), errors);
    }
  }

  private static void checkStages(List<Stage> stages, List<FieldError> errors) {
    DocumentChecks.checkAtMost("stages", stages.size(), MAX_STAGES, errors);
    Stage previous = null;
    for (int i = 0; i < stages.size(); i++) {
      String field = "stages[" + i + "]";
      Stage stage = stages.get(i);
      if (stage == null) {
        errors.add(new FieldError(field, "null (expected: a stage)"));
        previous = null;
        continue;
      }
      if (stage.index() != i) {
        errors.add(new FieldError(field + ".index",
            stage.index() + " (expected: " + i + "; indexes run 0..n-1 in order)"));
      }
      DocumentChecks.checkNonEmpty(field + ".nodeId", stage.nodeId(), "a node id", errors);
      DocumentChecks.checkGpus(field + ".gpus", stage.gpus(), errors);
      if (stage.lastLayer() < stage.firstLayer()) {
        errors.add(new FieldError(field + ".lastLayer", stage.lastLayer()
            + " (expected: >= firstLayer " + stage.firstLayer() + ")"));
      }
      checkContiguous(field, i, stage, previous, errors);
      previous = stage;
    }
  }

  private static void checkContiguous(
      String field, int i, Stage stage, Stage previous, List<FieldError> errors) {
    if (i == 0) {
      if (stage.firstLayer() != 0) {
        errors.add(new FieldError(field + ".firstLayer",
            stage.firstLayer() + " (expected: 0; the first stage starts at layer 0)"));
      }
      return;
    }
    if (previous == null) {
      return;
    }
    int expected = previous.lastLayer() + 1;
    if (stage.firstLayer() != expected) {
      String kind = stage.firstLayer() < expected ? "overlaps" : "leaves a gap after";
      errors.add(new FieldError(field + ".firstLayer", stage.firstLayer() + " " + kind
          + " stages[" + (i - 1) + "] (expected: " + expected + ", the layer after stages["
          + (i - 1) + "].lastLayer)"));
    }
  }

  private static void checkLinks(Placement placement, List<FieldError> errors) {
    List<StageLink> links = placement.links();
    int stageCount = placement.stages().size();
    if (stageCount == 0 && !links.isEmpty()) {
      errors.add(new FieldError("links",
          links.size() + " links (expected: none without stages)"));
      return;
    }
    Set<Integer> seenFrom = new HashSet<>();
    for (int i = 0; i < links.size(); i++) {
      String field = "links[" + i + "]";
      StageLink link = links.get(i);
      if (link == null) {
        errors.add(new FieldError(field, "null (expected: a link)"));
        continue;
      }
      if (link.fromStage() < 0 || link.fromStage() >= stageCount - 1) {
        String range = stageCount < 2 ? "none: one stage has no next stage"
            : "0-" + (stageCount - 2) + ", a stage that has a next stage";
        errors.add(new FieldError(field + ".fromStage",
            link.fromStage() + " (expected: " + range + ")"));
      } else if (link.toStage() != link.fromStage() + 1) {
        errors.add(new FieldError(field + ".toStage", link.toStage()
            + " (expected: " + (link.fromStage() + 1) + ", the stage after fromStage)"));
      } else if (!seenFrom.add(link.fromStage())) {
        errors.add(new FieldError(field, "stages " + link.fromStage() + "->" + link.toStage()
            + " linked twice (expected: one link per pair of consecutive stages)"));
      }
    }
  }
}
