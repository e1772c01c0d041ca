package dev.meshd.core.signal;

import java.util.List;

/**
 * The latest load signals of the fleet as one agent holds them: its own runtimes' and, on a
 * router, those received from the other agents on the fast signal path. The router reads it on
 * every decision, so implementations answer from memory without blocking.
 *
 * <p>Thread-safe.
 */
public interface SignalView {

  /**
   * The latest signal of each runtime of {@code nodeId}, aged at the time of the call; empty when
   * none has been received (a node without runtimes, or one not yet heard from).
   */
  List<AgedSignal> signals(String nodeId);
}
