package dev.meshd.core.fleet;

import dev.meshd.core.capability.CapabilityRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * A member of the fleet with its latest authenticated capability record.
 *
 * <p>All times are this agent's own clock: never compared with another host's clock.
 *
 * @param record the latest record received (or this agent's own)
 * @param state SWIM state
 * @param firstSeen when this agent first learned of the member
 * @param lastUpdated when this agent last received a change for it (record or state)
 * @param stateSince when it entered {@code state}
 */
public record FleetMember(
    CapabilityRecord record, MemberState state, Instant firstSeen, Instant lastUpdated,
    Instant stateSince) {
  public FleetMember {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastUpdated, "lastUpdated");
    Objects.requireNonNull(stateSince, "stateSince");
  }

  public String nodeId() {
    return record.nodeId();
  }

  public FleetMember withRecord(CapabilityRecord newRecord, Instant now) {
    return new FleetMember(newRecord, state, firstSeen, now, stateSince);
  }

  public FleetMember withState(MemberState newState, Instant now) {
    return new FleetMember(record, newState, firstSeen, now, newState == state ? stateSince : now);
  }
}
