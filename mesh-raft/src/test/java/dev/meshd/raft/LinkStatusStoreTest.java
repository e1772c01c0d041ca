package dev.meshd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine keeps negotiated link statuses across an operator's rewrite of a placement
 * whose stages did not move, on every replica alike (the rule is part of applying the write).
 */
class LinkStatusStoreTest {

  @TempDir Path dir;

  @Test
  void anOperatorRewriteKeepsNegotiatedLinksOfStagesThatStayed() throws Exception {
    try (StateMachineHarness sm = new StateMachineHarness(dir, 100)) {
      Placement file = Placement.ofStages("pp", "m", List.of(
          new Stage(0, 0, 15, "node1", List.of(0)), new Stage(1, 16, 31, "node2", List.of(0))));
      sm.apply(StoreRequest.put(file, null));
      LinkStatus up = new LinkStatus("quic", "QUIC", 1_000_000_000L, 90, LinkState.UP, "",
          List.of(), Instant.parse("2026-11-30T01:00:00Z"));
      Placement negotiated = new Placement("pp", "m", List.of(), file.stages(),
          List.of(new StageLink(0, 1, up)), file.cordonedNodes(), 0);
      assertThat(sm.apply(StoreRequest.put(negotiated, 1L)).outcome())
          .isEqualTo(StoreReply.Outcome.OK);

      sm.apply(StoreRequest.put(file, null));

      StoreReply stored = sm.query(StoreRequest.get(DocumentKind.PLACEMENT, "pp"));
      assertThat(stored.placement().links()).extracting(StageLink::status).containsExactly(up);
      assertThat(stored.placement().revision()).isEqualTo(3);
    }
  }
}
