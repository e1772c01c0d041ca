package dev.meshd.agent.signal;

import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.SignalView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This agent's own signals as a {@link SignalView}: its runtimes and its GPU readings, aged by the
 * same clock that stamped their observations; no other node's. What an agent without role {@code
 * router} offers, and what a router uses for itself (it never dials its own agent). Thread-safe.
 */
public final class LocalSignalView implements SignalView {

  private final String selfId;
  private final SignalSource source;
  private final GpuSignalSource gpus;
  private final Clock clock;
  /** Bumped after every observation of this agent's runtimes or GPUs, for {@link #version()}. */
  private final AtomicLong observations = new AtomicLong();

  public LocalSignalView(String selfId, SignalSource source, GpuSignalSource gpus, Clock clock) {
    this.selfId = selfId;
    this.source = source;
    this.gpus = gpus;
    this.clock = clock;
    source.onSignals(signals -> observations.incrementAndGet());
    gpus.onGpus(readings -> observations.incrementAndGet());
  }

  /** Changes after every observation of this agent's runtimes or GPUs (each renews their age). */
  @Override
  public long version() {
    return observations.get();
  }

  @Override
  public List<AgedSignal> signals(String nodeId) {
    if (!selfId.equals(nodeId)) {
      return List.of();
    }
    Instant now = clock.instant();
    return source.signals().stream()
        .map(s -> new AgedSignal(s, age(s.observedAt(), now))).toList();
  }

  @Override
  public List<AgedGpuSignal> gpus(String nodeId) {
    if (!selfId.equals(nodeId)) {
      return List.of();
    }
    Instant now = clock.instant();
    return gpus.gpus().stream()
        .map(g -> new AgedGpuSignal(g, age(g.observedAt(), now))).toList();
  }

  private static Duration age(Instant observedAt, Instant now) {
    Duration age = Duration.between(observedAt, now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
