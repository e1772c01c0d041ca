package dev.meshd.agent.testing;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fleet members and a fixed fleet view for unit tests. */
public final class TestMembers {

  public static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");

  private TestMembers() {}

  public static FleetMember alive(String nodeId) {
    CapabilityRecord record = new CapabilityRecord(1, nodeId, "host-" + nodeId, "z1", "r1",
        Map.of(), Set.of("gpu"), "0.1.0", 1, "127.0.0.1:7070", "127.0.0.1:7946",
        "127.0.0.1:9464", List.of(), List.of());
    return new FleetMember(record, MemberState.ALIVE, T0, T0, T0);
  }

  /** A fleet of ALIVE members that never changes. */
  public static FleetView fleet(String... nodeIds) {
    List<FleetMember> members = Arrays.stream(nodeIds).sorted().map(TestMembers::alive).toList();
    return new FleetView() {
      @Override
      public List<FleetMember> members() {
        return members;
      }

      @Override
      public Subscription subscribe(
          java.util.function.Consumer<dev.meshd.core.fleet.FleetEvent> listener) {
        return () -> {};
      }
    };
  }
}
