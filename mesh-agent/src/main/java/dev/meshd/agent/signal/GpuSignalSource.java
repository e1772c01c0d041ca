package dev.meshd.agent.signal;

import dev.meshd.core.signal.GpuSignal;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an agent's own GPU readings come from: {@link GpuReadings}, fed by the GPU refresher, in
 * production; a fake in tests. Implementations are thread-safe.
 */
public interface GpuSignalSource {

  /** The latest reading of each GPU; empty before the first reading and on a node without GPUs. */
  List<GpuSignal> gpus();

  /**
   * Calls {@code listener} with every GPU's reading after each successful read, also when
   * nothing changed but the time of the reading. The listener must not block.
   */
  void onGpus(Consumer<List<GpuSignal>> listener);
}
