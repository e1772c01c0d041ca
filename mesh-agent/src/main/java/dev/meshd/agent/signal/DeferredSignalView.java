package dev.meshd.agent.signal;

import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.SignalView;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's signal view for components built before it starts (the router and the gRPC
 * service: the view starts after the gRPC server, since it dials peers' signal streams). Until
 * {@link #set} it has no signals, so every target is stale, and no version; then it answers
 * exactly as the view set, {@link #version()} included, so that the router's candidate columns
 * are reused while nothing changed instead of being rebuilt on every decision. Thread-safe.
 */
public final class DeferredSignalView implements SignalView {

  private final AtomicReference<SignalView> view = new AtomicReference<>();

  /** The view to answer from from now on. */
  public void set(SignalView started) {
    view.set(Objects.requireNonNull(started, "started"));
  }

  @Override
  public List<AgedSignal> signals(String nodeId) {
    SignalView current = view.get();
    return current == null ? List.of() : current.signals(nodeId);
  }

  @Override
  public List<AgedGpuSignal> gpus(String nodeId) {
    SignalView current = view.get();
    return current == null ? List.of() : current.gpus(nodeId);
  }

  @Override
  public long version() {
    SignalView current = view.get();
    return current == null ? UNVERSIONED : current.version();
  }
}
