package dev.meshd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rewritten placement keeps negotiated link statuses only where both ends stayed put. */
class PlacementLinkStatusTest {

  private static final LinkStatus QUIC_UP = new LinkStatus("quic", "QUIC", 900_000_000L, 120,
      LinkState.UP, "", List.of("rdma: provider_missing"), Instant.parse("2026-11-30T00:00:00Z"));

  private static Placement pipeline(String stage1Node, List<Integer> stage1Gpus) {
    return Placement.ofStages("llama-pp", "m", List.of(
        new Stage(0, 0, 15, "node1", List.of(0)),
        new Stage(1, 16, 31, stage1Node, stage1Gpus),
        new Stage(2, 32, 47, "node3", List.of(0))));
  }

  private static Placement negotiated() {
    Placement p = pipeline("node2", List.of(0));
    return new Placement(p.name(), p.model(), p.replicas(), p.stages(),
        List.of(new StageLink(0, 1, QUIC_UP), new StageLink(1, 2, QUIC_UP)),
        p.cordonedNodes(), 7);
  }

  @Test
  void reapplyingTheSameFileKeepsEveryNegotiatedLink() {
    Placement rewritten = pipeline("node2", List.of(0)).withLinkStatusesFrom(negotiated());

    assertThat(rewritten.links()).extracting(l -> l.status()).containsExactly(QUIC_UP, QUIC_UP);
  }

  @Test
  void aMovedStageRestartsBothOfItsLinks() {
    assertThat(pipeline("node9", List.of(0)).withLinkStatusesFrom(negotiated()).links())
        .extracting(l -> l.status().state()).containsExactly(LinkState.PENDING, LinkState.PENDING);
    assertThat(pipeline("node2", List.of(1)).withLinkStatusesFrom(negotiated()).links())
        .as("other GPUs on the same node").extracting(l -> l.status().state())
        .containsExactly(LinkState.PENDING, LinkState.PENDING);
  }

  @Test
  void aStatusInTheDocumentWinsAndMissingLinksAreAddedPending() {
    LinkStatus failed = new LinkStatus("", "", 0, 0, LinkState.FAILED, "no transport", List.of(),
        null);
    Placement p = pipeline("node2", List.of(0));
    Placement withOneLink = new Placement(p.name(), p.model(), p.replicas(), p.stages(),
        List.of(new StageLink(1, 2, failed)), p.cordonedNodes(), 0);

    Placement first = withOneLink.withLinkStatusesFrom(null);

    assertThat(first.links()).extracting(StageLink::fromStage).containsExactly(0, 1);
    assertThat(first.links()).extracting(l -> l.status().state())
        .containsExactly(LinkState.PENDING, LinkState.FAILED);
    assertThat(withOneLink.withLinkStatusesFrom(negotiated()).links())
        .extracting(l -> l.status()).containsExactly(QUIC_UP, failed);
  }

  @Test
  void replicasHaveNoLinks() {
    Placement replicas = Placement.ofReplicas("r", "m", List.of(new Replica("node1", List.of())));
    assertThat(replicas.withLinkStatusesFrom(negotiated())).isSameAs(replicas);
  }
}
