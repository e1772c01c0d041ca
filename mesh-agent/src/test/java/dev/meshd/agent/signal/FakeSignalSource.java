package dev.meshd.agent.signal;

import dev.meshd.core.signal.RuntimeSignal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A runtime monitor the test drives: {@link #set} is one scrape's outcome. */
final class FakeSignalSource implements SignalSource {

  private final List<Consumer<List<RuntimeSignal>>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<RuntimeSignal> signals;

  FakeSignalSource(List<RuntimeSignal> initial) {
    this.signals = List.copyOf(initial);
  }

  void set(List<RuntimeSignal> next) {
    signals = List.copyOf(next);
    listeners.forEach(l -> l.accept(signals));
  }

  @Override
  public List<RuntimeSignal> signals() {
    return signals;
  }

  @Override
  public void onSignals(Consumer<List<RuntimeSignal>> listener) {
    listeners.add(listener);
  }
}
