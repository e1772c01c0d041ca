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

  /**
   * The latest reading of each GPU of {@code nodeId}, aged at the time of the call; empty when
   * none has been received (a node without GPUs, one not yet heard from, or a view that carries
   * runtime signals only: the capability record's figures then stand).
   */
  default List<AgedGpuSignal> gpus(String nodeId) {
    return List.of();
  }

  /** {@link #version()} of a view that cannot tell when it changes. */
  long UNVERSIONED = -1;

  /**
   * A number that changes whenever any signal this view answers with, runtime or GPU, may have
   * changed (a new batch, a heartbeat with a newer observation, a node forgotten), so a reader
   * that keeps a copy of the signals knows when to refresh it; never decreases. {@link
   * #UNVERSIONED} when the view cannot tell: its readers must then assume every call sees a
   * change.
   */
  default long version() {
    return UNVERSIONED;
  }
}
