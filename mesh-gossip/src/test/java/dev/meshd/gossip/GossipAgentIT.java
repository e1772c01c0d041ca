package dev.meshd.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.testkit.FreePorts;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GossipAgentIT {

  private static final Duration PROPAGATION = Duration.ofSeconds(30);

  private final GossipTestCluster cluster = new GossipTestCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void recordsPropagateToEveryAgent() {
    var a = cluster.start("node-a", 8);
    var b = cluster.start("node-b", 4);
    var c = cluster.start("node-c", 2);

    for (var node : List.of(a, b, c)) {
      await().atMost(PROPAGATION).untilAsserted(
          () -> assertThat(node.agent().members())
              .extracting(FleetMember::nodeId, m -> m.record().gpus().size(), FleetMember::state)
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple("node-a", 8, MemberState.ALIVE),
                  org.assertj.core.groups.Tuple.tuple("node-b", 4, MemberState.ALIVE),
                  org.assertj.core.groups.Tuple.tuple("node-c", 2, MemberState.ALIVE)));
    }
    assertThat(a.agent().member("node-b").orElseThrow().record().labels())
        .containsEntry("team", "infra");
  }

  @Test
  void recordUpdatePropagates() {
    var a = cluster.start("node-a", 8);
    var b = cluster.start("node-b", 4);
    await().atMost(PROPAGATION).until(() -> a.agent().member("node-b").isPresent());
    List<FleetEvent> eventsAtA = new CopyOnWriteArrayList<>();
    a.agent().subscribe(eventsAtA::add);

    CapabilityRecord old = b.agent().self();
    CapabilityRecord updated = old.withGpus(
        old.gpus().stream().map(g -> g.withUsage(40_000_000_000L, 0.5)).toList());
    double publishedBefore = b.registry().get("meshd.gossip.record.publications").counter()
        .count();
    b.agent().publish(updated);
    // Counted once; an update that changes nothing publishes nothing and counts nothing.
    b.agent().update(record -> record);
    assertThat(b.registry().get("meshd.gossip.record.publications").counter().count())
        .isEqualTo(publishedBefore + 1);

    await().atMost(PROPAGATION).untilAsserted(() -> {
      CapabilityRecord seen = a.agent().member("node-b").orElseThrow().record();
      assertThat(seen.recordVersion()).isEqualTo(old.recordVersion() + 1);
      assertThat(seen.vramUsedBytes()).isEqualTo(4 * 40_000_000_000L);
    });
    assertThat(eventsAtA).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(FleetEvent.Type.UPDATED);
      assertThat(e.member().nodeId()).isEqualTo("node-b");
    });
  }

  @Test
  void crashedAgentBecomesSuspectThenDead() {
    var a = cluster.start("node-a", 8);
    var b = cluster.start("node-b", 4);
    var c = cluster.start("node-c", 2);
    await().atMost(PROPAGATION).until(() -> a.agent().members().size() == 3
        && a.agent().members().stream().allMatch(m -> m.state() == MemberState.ALIVE));
    List<MemberState> statesOfC = new CopyOnWriteArrayList<>();
    a.agent().subscribe(e -> {
      if (e.member().nodeId().equals("node-c") && e.type() == FleetEvent.Type.STATE_CHANGED) {
        statesOfC.add(e.member().state());
      }
    });

    c.crash();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(a.agent().member("node-c").orElseThrow().state())
            .isNotEqualTo(MemberState.ALIVE));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(a.agent().member("node-c").orElseThrow().state()).isEqualTo(MemberState.DEAD);
      assertThat(b.agent().member("node-c").orElseThrow().state()).isEqualTo(MemberState.DEAD);
    });
    assertThat(statesOfC).containsSubsequence(MemberState.SUSPECT, MemberState.DEAD);
    assertThat(a.agent().member("node-b").orElseThrow().state()).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void anAgentStartedBeforeItsSeedJoinsOnceTheSeedIsUp() {
    HostPort seedAddress = new HostPort("127.0.0.1", FreePorts.loopback());
    var early = cluster.start("early", 1, Optional.of(GossipTestCluster.KEY),
        new HostPort("127.0.0.1", FreePorts.loopback()), List.of(seedAddress));
    assertThat(early.agent().members()).hasSize(1);

    var seed = cluster.start("seed", 1, Optional.of(GossipTestCluster.KEY), seedAddress,
        List.of());

    // The early agent retries its seeds on every periodic sync (5 s in the local profile).
    await().atMost(PROPAGATION).untilAsserted(() -> {
      assertThat(early.agent().member("seed")).isPresent();
      assertThat(seed.agent().member("early")).isPresent();
    });
  }

  @Test
  void gracefulLeaveIsSeenAsLeft() {
    var a = cluster.start("node-a", 8);
    var b = cluster.start("node-b", 4);
    await().atMost(PROPAGATION).until(() -> a.agent().member("node-b").isPresent());

    b.agent().leave(Duration.ofSeconds(5));

    await().atMost(PROPAGATION).untilAsserted(
        () -> assertThat(a.agent().member("node-b").orElseThrow().state())
            .isEqualTo(MemberState.LEFT));
  }

  @Test
  void agentWithAnotherClusterKeyIsNeverShownAndIsCounted() {
    var a = cluster.start("node-a", 8);
    var b = cluster.start("node-b", 4);
    var intruder =
        cluster.start("intruder", 1, Optional.of(ClusterKey.generate(new SecureRandom())));
    var unsigned = cluster.start("unsigned", 1, Optional.empty());

    await().atMost(PROPAGATION).untilAsserted(() -> {
      assertThat(a.agent().rejectedRecords()).isGreaterThanOrEqualTo(2);
      assertThat(b.agent().rejectedRecords()).isGreaterThanOrEqualTo(2);
      assertThat(a.registry().get("meshd.gossip.records.rejected").tag("reason", "bad_mac")
          .counter().count()).isGreaterThanOrEqualTo(2);
    });
    assertThat(a.agent().members()).extracting(FleetMember::nodeId)
        .containsExactly("node-a", "node-b");
    assertThat(b.agent().members()).extracting(FleetMember::nodeId)
        .containsExactly("node-a", "node-b");
    assertThat(intruder.agent().members()).extracting(FleetMember::nodeId)
        .doesNotContain("node-a", "node-b");
    assertThat(unsigned.agent().members()).extracting(FleetMember::nodeId)
        .doesNotContain("node-a", "node-b");
  }
}
