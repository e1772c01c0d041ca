package dev.meshd.core.fabric;

import java.util.Optional;

/**
 * The logical state of an RDMA port, with the numeric code the kernel and the verbs library use
 * ({@code enum ibv_port_state}; sysfs prints it as {@code 4: ACTIVE}, {@code ibv_devinfo} as
 * {@code PORT_ACTIVE (4)}). Only {@link #ACTIVE} carries traffic.
 */
public enum RdmaPortState {
  /** 0: no state change reported. */
  NOP(0),
  /** 1: the link is down. */
  DOWN(1),
  /** 2: the link is up, the subnet manager has not configured the port yet. */
  INIT(2),
  /** 3: configured, not yet allowed to send data. */
  ARMED(3),
  /** 4: carries traffic. */
  ACTIVE(4),
  /** 5: active, a state change is deferred. */
  ACTIVE_DEFER(5);

  private final int code;

  RdmaPortState(int code) {
    this.code = code;
  }

  /** The numeric code, e.g. 4 for {@link #ACTIVE}. */
  public int code() {
    return code;
  }

  /** The state with this numeric code, or empty for a code outside 0-5. */
  public static Optional<RdmaPortState> ofCode(int code) {
    for (RdmaPortState state : values()) {
      if (state.code == code) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
