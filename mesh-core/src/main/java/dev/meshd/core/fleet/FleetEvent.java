package dev.meshd.core.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in the fleet view.
 *
 * @param type what happened
 * @param member the member after the change (for REMOVED: as it was last seen)
 * @param time when this agent observed it
 */
public record FleetEvent(Type type, FleetMember member, Instant time) {

  /** Kinds of change, mirrored by {@code NodeEventType} in the API. */
  public enum Type {
    ADDED,
    UPDATED,
    STATE_CHANGED,
    REMOVED
  }

  public FleetEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(time, "time");
  }
}
