package dev.meshd.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetTableTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T08:00:00Z"));
  private final List<FleetEvent> events = new ArrayList<>();
  private FleetTable table;

  @BeforeEach
  void setUp() {
    table = new FleetTable(record("self", 1), clock, Duration.ofMinutes(10));
    table.subscribe(events::add);
  }

  @Test
  void newMemberIsAddedAliveAndSorted() {
    table.onMemberRecord("m-b", record("b", 1));
    table.onMemberRecord("m-a", record("a", 1));
    assertThat(table.members()).extracting(FleetMember::nodeId).containsExactly("a", "b", "self");
    assertThat(events).extracting(FleetEvent::type)
        .containsExactly(FleetEvent.Type.ADDED, FleetEvent.Type.ADDED);
  }

  @Test
  void changedRecordIsAnUpdateAndTheSameRecordIsNothing() {
    table.onMemberRecord("m-a", record("a", 1));
    table.onMemberRecord("m-a", record("a", 1));
    table.onMemberRecord("m-a", record("a", 2));
    assertThat(events).extracting(FleetEvent::type)
        .containsExactly(FleetEvent.Type.ADDED, FleetEvent.Type.UPDATED);
    assertThat(table.member("a").orElseThrow().record().recordVersion()).isEqualTo(2);
  }

  @Test
  void suspicionThenRemovalWithoutLeaveIsDead() {
    table.onMemberRecord("m-a", record("a", 1));
    clock.advance(Duration.ofSeconds(1));
    table.onSuspects(Set.of("m-a"), Set.of());
    assertThat(table.member("a").orElseThrow().state()).isEqualTo(MemberState.SUSPECT);
    table.onMemberRemoved("m-a");
    FleetMember a = table.member("a").orElseThrow();
    assertThat(a.state()).isEqualTo(MemberState.DEAD);
    assertThat(a.stateSince()).isEqualTo(clock.instant());
  }

  @Test
  void refutedSuspicionIsAliveAgain() {
    table.onMemberRecord("m-a", record("a", 1));
    table.onSuspects(Set.of("m-a"), Set.of());
    table.onSuspects(Set.of(), Set.of("m-a"));
    assertThat(table.member("a").orElseThrow().state()).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void leaveThenRemovalStaysLeft() {
    table.onMemberRecord("m-a", record("a", 1));
    table.onMemberLeaving("m-a");
    table.onMemberRemoved("m-a");
    assertThat(table.member("a").orElseThrow().state()).isEqualTo(MemberState.LEFT);
  }

  @Test
  void restartedNodeWithNewMemberIdIsRevived() {
    table.onMemberRecord("m-a", record("a", 1));
    table.onMemberRemoved("m-a");
    table.onMemberRecord("m-a2", record("a", 1));
    assertThat(table.member("a").orElseThrow().state()).isEqualTo(MemberState.ALIVE);
    assertThat(table.members()).hasSize(2);
  }

  @Test
  void deadMembersAreForgottenAfterRetention() {
    table.onMemberRecord("m-a", record("a", 1));
    table.onMemberRemoved("m-a");
    clock.advance(Duration.ofMinutes(9));
    table.expire();
    assertThat(table.member("a")).isPresent();
    clock.advance(Duration.ofMinutes(2));
    table.expire();
    assertThat(table.member("a")).isEmpty();
    assertThat(events.getLast().type()).isEqualTo(FleetEvent.Type.REMOVED);
  }

  @Test
  void aPeerClaimingOurNodeIdIsIgnored() {
    table.onMemberRecord("m-x", record("self", 7));
    assertThat(table.member("self").orElseThrow().record().recordVersion()).isEqualTo(1);
    assertThat(events).isEmpty();
  }

  private static CapabilityRecord record(String nodeId, long version) {
    return GossipTestCluster.record(nodeId, new HostPort("127.0.0.1", 7946), 1, version);
  }
}
