package dev.meshd.agent.testing;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A fleet the test edits by hand; events are delivered on the test's thread. */
public final class FakeFleet implements FleetView {

  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  private final Map<String, FleetMember> members = new TreeMap<>();
  private final List<Consumer<FleetEvent>> listeners = new CopyOnWriteArrayList<>();

  public static CapabilityRecord record(String nodeId, String grpcAddress, boolean withRuntime) {
    List<RuntimeInfo> runtimes = withRuntime
        ? List.of(new RuntimeInfo(RuntimeKind.VLLM, "http://127.0.0.1:8000", List.of("m")))
        : List.of();
    return new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, nodeId, "host-" + nodeId, "z1",
        "r1", Map.of(), Set.of("gpu"), "test", 1, grpcAddress, "", "", List.of(), runtimes);
  }

  public synchronized void put(CapabilityRecord record, MemberState state) {
    FleetMember previous = members.get(record.nodeId());
    FleetMember member = new FleetMember(record, state, T0, T0, T0);
    members.put(record.nodeId(), member);
    FleetEvent.Type type = previous == null ? FleetEvent.Type.ADDED
        : previous.state() != state ? FleetEvent.Type.STATE_CHANGED : FleetEvent.Type.UPDATED;
    fire(new FleetEvent(type, member, T0));
  }

  public synchronized void remove(String nodeId) {
    FleetMember member = members.remove(nodeId);
    fire(new FleetEvent(FleetEvent.Type.REMOVED, member, T0));
  }

  private void fire(FleetEvent event) {
    listeners.forEach(l -> l.accept(event));
  }

  @Override
  public synchronized List<FleetMember> members() {
    return List.copyOf(members.values());
  }

  @Override
  public Subscription subscribe(Consumer<FleetEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
