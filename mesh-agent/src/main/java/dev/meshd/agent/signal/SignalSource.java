package dev.meshd.agent.signal;

import dev.meshd.core.signal.RuntimeSignal;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an agent's own load signals come from: the runtime monitor in production, a fake in
 * tests. Implementations are thread-safe.
 */
public interface SignalSource {

  /** The latest signal of each runtime observed at least once. */
  List<RuntimeSignal> signals();

  /**
   * Calls {@code listener} with the latest signal of every runtime after each observation, also
   * when nothing changed but the observation time. The listener must not block.
   */
  void onSignals(Consumer<List<RuntimeSignal>> listener);
}
