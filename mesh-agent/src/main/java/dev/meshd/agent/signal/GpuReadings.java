package dev.meshd.agent.signal;

import dev.meshd.core.signal.GpuSignal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * This agent's latest GPU readings, handed from the GPU refresher (which reads the driver) to the
 * signal path (which streams them to routers and ages them for the local view). Thread-safe:
 * readers see the latest list through an {@link AtomicReference}; listeners run on the thread
 * that {@link #accept accepts} a reading.
 */
public final class GpuReadings implements GpuSignalSource, Consumer<List<GpuSignal>> {

  private final AtomicReference<List<GpuSignal>> latest = new AtomicReference<>(List.of());
  private final List<Consumer<List<GpuSignal>>> listeners = new CopyOnWriteArrayList<>();

  /** One successful read of every GPU. */
  @Override
  public void accept(List<GpuSignal> readings) {
    List<GpuSignal> copy = List.copyOf(readings);
    latest.set(copy);
    for (Consumer<List<GpuSignal>> listener : listeners) {
      listener.accept(copy);
    }
  }

  @Override
  public List<GpuSignal> gpus() {
    return latest.get();
  }

  @Override
  public void onGpus(Consumer<List<GpuSignal>> listener) {
    listeners.add(listener);
  }
}
