package dev.meshd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementValidatorTest {

  private static Stage stage(int index, int first, int last) {
    return new Stage(index, first, last, "node" + index, List.of(0));
  }

  private static List<String> errors(Placement placement) {
    return PlacementValidator.validate(placement).stream().map(FieldError::toString).toList();
  }

  @Test
  void acceptsReplicasAndContiguousStages() {
    Placement replicated = Placement.ofReplicas("r", "llama-8b",
        List.of(new Replica("node1", List.of(0, 1)), new Replica("node2", List.of(0))));
    Placement pipelined = Placement.ofStages("p", "llama-70b",
        List.of(stage(0, 0, 39), stage(1, 40, 79)));

    assertThat(PlacementValidator.validate(replicated)).isEmpty();
    assertThat(PlacementValidator.validate(pipelined)).isEmpty();
    assertThat(pipelined.links()).containsExactly(StageLink.pending(0, 1));
  }

  @Test
  void replicasAndStagesAreExclusiveAndOneIsRequired() {
    Placement both = new Placement("b", "m", List.of(new Replica("n", List.of())),
        List.of(stage(0, 0, 9)), List.of(), Set.of(), 0);
    Placement neither = new Placement("n", "m", null, null, null, null, 0);

    assertThat(errors(both)).containsExactly(
        "replicas: and stages both set (expected: either replicas or stages)");
    assertThat(errors(neither)).containsExactly(
        "replicas: and stages both empty (expected: either replicas or stages)");
  }

  @Test
  void reportsOverlapsGapsAndWrongIndexes() {
    Placement overlap = Placement.ofStages("o", "m", List.of(stage(0, 0, 39), stage(1, 30, 79)));
    Placement gap = Placement.ofStages("g", "m", List.of(stage(0, 0, 39), stage(1, 45, 79)));
    Placement late = Placement.ofStages("l", "m", List.of(stage(0, 4, 39)));
    Placement indexes = Placement.ofStages("i", "m", List.of(stage(0, 0, 9), stage(2, 10, 19)));
    Placement inverted = Placement.ofStages("v", "m", List.of(stage(0, 0, 9), stage(1, 10, 5)));

    assertThat(errors(overlap)).containsExactly("stages[1].firstLayer: 30 overlaps stages[0] "
        + "(expected: 40, the layer after stages[0].lastLayer)");
    assertThat(errors(gap)).singleElement().asString()
        .startsWith("stages[1].firstLayer: 45 leaves a gap after stages[0]");
    assertThat(errors(late)).singleElement().asString().startsWith("stages[0].firstLayer: 4");
    assertThat(errors(indexes)).containsExactly(
        "stages[1].index: 2 (expected: 1; indexes run 0..n-1 in order)");
    assertThat(errors(inverted)).containsExactly(
        "stages[1].lastLayer: 5 (expected: >= firstLayer 10)");
  }

  @Test
  void linksJoinConsecutiveStagesOnce() {
    List<Stage> stages = List.of(stage(0, 0, 9), stage(1, 10, 19), stage(2, 20, 29));
    Placement skipping = new Placement("s", "m", List.of(), stages,
        List.of(StageLink.pending(0, 2)), Set.of(), 0);
    Placement outOfRange = new Placement("o", "m", List.of(), stages,
        List.of(StageLink.pending(2, 3)), Set.of(), 0);
    Placement twice = new Placement("t", "m", List.of(), stages,
        List.of(StageLink.pending(0, 1), StageLink.pending(0, 1)), Set.of(), 0);
    Placement noLinks = new Placement("n", "m", List.of(), stages, List.of(), Set.of(), 0);
    Placement replicatedWithLink = new Placement("r", "m", List.of(new Replica("n", List.of())),
        List.of(), List.of(StageLink.pending(0, 1)), Set.of(), 0);

    assertThat(errors(skipping)).containsExactly(
        "links[0].toStage: 2 (expected: 1, the stage after fromStage)");
    assertThat(errors(outOfRange)).singleElement().asString().startsWith("links[0].fromStage: 2");
    assertThat(errors(twice)).singleElement().asString().contains("linked twice");
    assertThat(errors(noLinks)).isEmpty();
    assertThat(errors(replicatedWithLink)).containsExactly(
        "links: 1 links (expected: none without stages)");
  }

  @Test
  void reportsEmptyFieldsAndBadGpuIndexes() {
    Placement bad = new Placement("", "", List.of(new Replica("", List.of(0, 0, -1))), List.of(),
        List.of(), Set.of(), 0);

    assertThat(PlacementValidator.validate(bad)).extracting(FieldError::field)
        .containsExactly("name", "model", "replicas[0].nodeId", "replicas[0].gpus[1]",
            "replicas[0].gpus[2]");
  }

  @Test
  void cordonsAreSortedAndReversible() {
    Placement placement = Placement.ofReplicas("r", "m", List.of(new Replica("n1", List.of(0))))
        .withCordoned("n2").withCordoned("n1");

    assertThat(placement.cordonedNodes()).containsExactly("n1", "n2");
    assertThat(placement.withUncordoned("n1").cordonedNodes()).containsExactly("n2");
    assertThat(LinkStatus.PENDING.state()).isEqualTo(LinkState.PENDING);
  }
}
