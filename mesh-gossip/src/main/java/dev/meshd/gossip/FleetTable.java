package dev.meshd.gossip;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet view: members by node id, their SWIM state and latest record, and the change events.
 *
 * <p>Threading: every {@code on*} method must be called from one owner thread (the gossip
 * agent's event loop); listeners are called on it, in order. Readers on any thread see an
 * immutable snapshot through {@link #members()}.
 *
 * <p>Members are keyed by node id, not by scalecube member id: a restarted agent joins with a
 * new member id but is the same node. DEAD and LEFT members are kept for {@code retention} so
 * operators can see what went away, then removed with a REMOVED event.
 */
public final class FleetTable implements FleetView {

  private static final Logger LOG = LoggerFactory.getLogger(FleetTable.class);

  private final Clock clock;
  private final Duration retention;
  private final String selfNodeId;
  private final Map<String, FleetMember> byNodeId = new HashMap<>();
  private final Map<String, String> nodeIdByMemberId = new HashMap<>();
  private final AtomicReference<List<FleetMember>> snapshot = new AtomicReference<>(List.of());
  private final List<Consumer<FleetEvent>> listeners = new CopyOnWriteArrayList<>();

  public FleetTable(CapabilityRecord self, Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
    this.selfNodeId = self.nodeId();
    Instant now = clock.instant();
    byNodeId.put(selfNodeId, new FleetMember(self, MemberState.ALIVE, now, now, now));
    publishSnapshot();
  }

  @Override
  public List<FleetMember> members() {
    return snapshot.get();
  }

  @Override
  public Optional<FleetMember> member(String nodeId) {
    return snapshot.get().stream().filter(m -> m.nodeId().equals(nodeId)).findFirst();
  }

  @Override
  public Subscription subscribe(Consumer<FleetEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** This agent republished its own record. */
  public void onSelfRecord(CapabilityRecord record) {
    FleetMember old = byNodeId.get(selfNodeId);
    FleetMember updated = old.withRecord(record, clock.instant());
    byNodeId.put(selfNodeId, updated);
    publish(FleetEvent.Type.UPDATED, updated);
  }

  /** A member is ALIVE with an authenticated record (scalecube ADDED or UPDATED). */
  public void onMemberRecord(String memberId, CapabilityRecord record) {
    if (record.nodeId().equals(selfNodeId)) {
      LOG.warn("member {} claims this agent's node id {}; ignored (two agents share a node id?)",
          record.gossipAddress(), selfNodeId);
      return;
    }
    Instant now = clock.instant();
    String previousNode = nodeIdByMemberId.put(memberId, record.nodeId());
    if (previousNode != null && !previousNode.equals(record.nodeId())) {
      LOG.warn("member at {} changed its node id from {} to {}", record.gossipAddress(),
          previousNode, record.nodeId());
    }
    FleetMember old = byNodeId.get(record.nodeId());
    if (old == null) {
      FleetMember added = new FleetMember(record, MemberState.ALIVE, now, now, now);
      byNodeId.put(record.nodeId(), added);
      publish(FleetEvent.Type.ADDED, added);
      return;
    }
    if (!old.record().equals(record)) {
      FleetMember updated = old.withRecord(record, now);
      byNodeId.put(record.nodeId(), updated);
      publish(FleetEvent.Type.UPDATED, updated);
      old = updated;
    }
    if (old.state() != MemberState.ALIVE) {
      FleetMember revived = old.withState(MemberState.ALIVE, now);
      byNodeId.put(record.nodeId(), revived);
      publish(FleetEvent.Type.STATE_CHANGED, revived);
    }
  }

  /** scalecube said the member is leaving (graceful shutdown). */
  public void onMemberLeaving(String memberId) {
    changeState(memberId, MemberState.LEFT);
  }

  /**
   * scalecube removed the member: after a graceful leave it stays LEFT, otherwise it is DEAD.
   */
  public void onMemberRemoved(String memberId) {
    String nodeId = nodeIdByMemberId.remove(memberId);
    if (nodeId == null) {
      return;
    }
    FleetMember member = byNodeId.get(nodeId);
    if (member != null && member.state() != MemberState.LEFT) {
      setState(nodeId, MemberState.DEAD);
    }
  }

  /**
   * The current SWIM suspicion of every member scalecube still lists; members not in the set
   * that are SUSPECT here became ALIVE again (they refuted the suspicion).
   */
  public void onSuspects(Set<String> suspectMemberIds, Set<String> aliveMemberIds) {
    for (String memberId : suspectMemberIds) {
      String nodeId = nodeIdByMemberId.get(memberId);
      FleetMember member = nodeId == null ? null : byNodeId.get(nodeId);
      if (member != null && member.state() == MemberState.ALIVE) {
        setState(nodeId, MemberState.SUSPECT);
      }
    }
    for (String memberId : aliveMemberIds) {
      String nodeId = nodeIdByMemberId.get(memberId);
      FleetMember member = nodeId == null ? null : byNodeId.get(nodeId);
      if (member != null && member.state() == MemberState.SUSPECT) {
        setState(nodeId, MemberState.ALIVE);
      }
    }
  }

  /** Forgets DEAD and LEFT members older than the retention period. */
  public void expire() {
    Instant cutoff = clock.instant().minus(retention);
    List<FleetMember> expired = new ArrayList<>();
    for (FleetMember member : byNodeId.values()) {
      boolean gone = member.state() == MemberState.DEAD || member.state() == MemberState.LEFT;
      if (gone && member.stateSince().isBefore(cutoff)) {
        expired.add(member);
      }
    }
    for (FleetMember member : expired) {
      byNodeId.remove(member.nodeId());
      nodeIdByMemberId.values().removeIf(member.nodeId()::equals);
      publish(FleetEvent.Type.REMOVED, member);
    }
  }

  /** Marks this agent itself as LEFT (it is shutting down). */
  public void onSelfLeaving() {
    setState(selfNodeId, MemberState.LEFT);
  }

  private void changeState(String memberId, MemberState state) {
    String nodeId = nodeIdByMemberId.get(memberId);
    if (nodeId != null) {
      setState(nodeId, state);
    }
  }

  private void setState(String nodeId, MemberState state) {
    FleetMember old = byNodeId.get(nodeId);
    if (old == null || old.state() == state) {
      return;
    }
    FleetMember changed = old.withState(state, clock.instant());
    byNodeId.put(nodeId, changed);
    LOG.info("node {} is {} (was {})", nodeId, state, old.state());
    publish(FleetEvent.Type.STATE_CHANGED, changed);
  }

  private void publish(FleetEvent.Type type, FleetMember member) {
    publishSnapshot();
    FleetEvent event = new FleetEvent(type, member, clock.instant());
    for (Consumer<FleetEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("fleet listener failed on {} of {}: {}", type, member.nodeId(), e.toString());
      }
    }
  }

  private void publishSnapshot() {
    List<FleetMember> sorted = new ArrayList<>(byNodeId.values());
    sorted.sort(Comparator.comparing(FleetMember::nodeId));
    snapshot.set(List.copyOf(sorted));
  }
}
