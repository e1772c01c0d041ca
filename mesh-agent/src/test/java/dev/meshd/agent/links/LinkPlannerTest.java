package dev.meshd.agent.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which links an agent negotiates or marks DOWN, and when. */
class LinkPlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-30T01:00:00Z");
  private static final LinkRef LINK = new LinkRef("pp", 0, 1, "node1", "node2", List.of(0),
      List.of(0));

  private final Map<String, FleetMember> members = new HashMap<>();
  private final Map<LinkRef, LinkMemory> memory = new HashMap<>();
  private final LinkSettings settings = LinkSettings.defaults();

  private List<LinkAction> plan(String self, LinkStatus status) {
    return plan(self, status, Set.of());
  }

  private List<LinkAction> plan(String self, LinkStatus status, Set<LinkRef> busy) {
    return new LinkPlanner(self, settings).plan(List.of(placement(status)), members, memory, busy,
        NOW);
  }

  @Test
  void theUpstreamAgentNegotiatesAPendingLinkAndNobodyElseDoes() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.ALIVE, "gpu");

    assertThat(plan("node1", LinkStatus.PENDING))
        .containsExactly(new LinkAction.Negotiate(LINK, "not negotiated yet"));
    assertThat(plan("node2", LinkStatus.PENDING)).isEmpty();
    assertThat(plan("node1", LinkStatus.PENDING, Set.of(LINK))).as("already at it").isEmpty();
  }

  @Test
  void aDeadDownstreamIsMarkedDownByTheUpstreamOnce() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.DEAD, "gpu");

    assertThat(plan("node1", up(NOW))).containsExactly(
        new LinkAction.MarkDown(LINK, "downstream node node2 is DEAD"));
    assertThat(plan("node1", down())).isEmpty();
  }

  @Test
  void aDeadUpstreamIsMarkedDownByTheFirstAliveControlAgentOnly() {
    member("node1", MemberState.DEAD, "gpu");
    member("node2", MemberState.ALIVE, "gpu");
    member("ctl-a", MemberState.DEAD, "control");
    member("ctl-b", MemberState.ALIVE, "control");
    member("ctl-c", MemberState.ALIVE, "control");

    assertThat(plan("ctl-b", up(NOW))).containsExactly(
        new LinkAction.MarkDown(LINK, "upstream node node1 is DEAD"));
    assertThat(plan("ctl-c", up(NOW))).isEmpty();
    assertThat(plan("node2", up(NOW))).isEmpty();
    members.remove("node1");
    assertThat(plan("ctl-b", up(NOW))).containsExactly(
        new LinkAction.MarkDown(LINK, "upstream node node1 is not in the fleet"));
  }

  @Test
  void aSuspectEndIsLeftAlone() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.SUSPECT, "gpu");

    assertThat(plan("node1", LinkStatus.PENDING)).isEmpty();
  }

  @Test
  void aDownLinkIsNegotiatedWhenBothEndsAreBack() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.ALIVE, "gpu");

    assertThat(plan("node1", down())).containsExactly(
        new LinkAction.Negotiate(LINK, "both ends are back"));
  }

  @Test
  void anUpLinkIsReprobedOnScheduleAndAfterAFabricChange() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.ALIVE, "gpu");

    assertThat(plan("node1", up(NOW.minus(Duration.ofSeconds(269))))).as("restart: adopted")
        .isEmpty();
    assertThat(plan("node1", up(NOW.minus(Duration.ofSeconds(331))))).containsExactly(
        new LinkAction.Negotiate(LINK, "periodic re-probe"));

    long node1 = FabricIdentity.of(members.get("node1").record());
    memory.put(LINK, new LinkMemory(node1, 42, NOW.minusSeconds(10), 0));
    assertThat(plan("node1", up(NOW.minusSeconds(10)))).containsExactly(
        new LinkAction.Negotiate(LINK, "an end's host, address or fabric changed"));
  }

  @Test
  void linksNegotiatedTogetherAreReprobedSpreadOverTheIntervalNotAllAtOnce() {
    long last = NOW.toEpochMilli();
    List<Duration> waits = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Duration wait = settings.reprobeAfter("pp-" + i + "/0->1", last);
      assertThat(wait).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
      assertThat(settings.reprobeAfter("pp-" + i + "/0->1", last)).as("deterministic")
          .isEqualTo(wait);
      waits.add(wait);
    }
    long early = waits.stream().filter(w -> w.compareTo(Duration.ofMinutes(5)) < 0).count();
    assertThat(early).as("spread both ways").isBetween(60L, 140L);
    assertThat(waits.stream().distinct().count()).isGreaterThan(190);
    assertThat(settings.reprobeAfter("pp-0/0->1", last + 300_000)).as("another round")
        .isNotEqualTo(waits.getFirst());
  }

  @Test
  void aFailedLinkIsRetriedWithDoublingBackoff() {
    member("node1", MemberState.ALIVE, "gpu");
    member("node2", MemberState.ALIVE, "gpu");
    long a = FabricIdentity.of(members.get("node1").record());
    long b = FabricIdentity.of(members.get("node2").record());
    LinkStatus failed = new LinkStatus("", "", 0, 0, LinkState.FAILED, "no transport", List.of(),
        NOW);

    memory.put(LINK, new LinkMemory(a, b, NOW.minusSeconds(20), 1));
    assertThat(plan("node1", failed)).hasSize(1);
    memory.put(LINK, new LinkMemory(a, b, NOW.minusSeconds(20), 2));
    assertThat(plan("node1", failed)).as("30 s after the second failure").isEmpty();
    memory.put(LINK, new LinkMemory(a, b, NOW.minusSeconds(299), 9));
    assertThat(plan("node1", failed)).as("capped at 5 min").isEmpty();
    memory.put(LINK, new LinkMemory(a, b, NOW.minusSeconds(300), 9));
    assertThat(plan("node1", failed)).containsExactly(
        new LinkAction.Negotiate(LINK, "retry after failure 9"));
  }

  @Test
  void backoffDoublesToItsCeiling() {
    assertThat(settings.retryAfter(1)).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.retryAfter(3)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.retryAfter(50)).isEqualTo(Duration.ofMinutes(5));
  }

  private static LinkStatus up(Instant negotiatedAt) {
    return new LinkStatus("quic", "QUIC", 1_000_000_000L, 100, LinkState.UP, "", List.of(),
        negotiatedAt);
  }

  private static LinkStatus down() {
    return new LinkStatus("quic", "QUIC", 0, 0, LinkState.DOWN, "downstream node node2 is DEAD",
        List.of(), NOW.minusSeconds(60));
  }

  private static Placement placement(LinkStatus status) {
    Placement p = Placement.ofStages("pp", "m", List.of(
        new Stage(0, 0, 15, "node1", List.of(0)), new Stage(1, 16, 31, "node2", List.of(0))));
    return new Placement("pp", "m", List.of(), p.stages(), List.of(new StageLink(0, 1, status)),
        Set.of(), 3);
  }

  private void member(String id, MemberState state, String role) {
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id,
        "host-" + id, "z1", "r1", Map.of(), Set.of(role), "test", 1, id + ":7070", "", "",
        List.of(), List.of());
    members.put(id, new FleetMember(record, state, NOW, NOW, NOW));
  }
}
