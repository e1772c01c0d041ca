package dev.meshd.core.fleet;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The fleet as this agent sees it: members, their states and records. Provided by
 * {@code mesh-gossip}, read by the API, the router and the simulator.
 *
 * <p>Thread-safe; {@link #members()} returns an immutable snapshot.
 */
public interface FleetView {

  /** Every known member, this agent included, sorted by node id. */
  List<FleetMember> members();

  /** One member by node id. */
  default Optional<FleetMember> member(String nodeId) {
    return members().stream().filter(m -> m.nodeId().equals(nodeId)).findFirst();
  }

  /**
   * Calls {@code listener} for every later change, in order, on one thread. The listener must
   * not block. Closing the returned handle stops the calls.
   */
  Subscription subscribe(Consumer<FleetEvent> listener);

  /** Ends a {@link #subscribe} registration; idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
