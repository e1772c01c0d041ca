package dev.meshd.raft;

import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Hedging;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Valid documents for tests, with every field set so codec round trips cover them all. */
final class Documents {

  private Documents() {}

  static Policy policy(String name) {
    return new Policy(name, "llama-*", "hybrid", Map.of("queue", 0.7, "fabric", 0.3),
        new Admission(16, 4), new Hedging(true, Duration.ofMillis(150)), 0);
  }

  static Placement placement(String name) {
    LinkStatus up = new LinkStatus("rdma", "rdma", 12_500_000_000L, 9, LinkState.UP, "",
        List.of("nvlink: different hosts"), Instant.parse("2026-11-22T08:00:00Z"));
    return new Placement(name, "llama-70b", List.of(),
        List.of(new Stage(0, 0, 39, "node1", List.of(0, 1)),
            new Stage(1, 40, 79, "node2", List.of(0, 1))),
        List.of(new StageLink(0, 1, up)), Set.of("node3"), 0);
  }
}
