package dev.meshd.agent.signal;

import dev.meshd.agent.signal.internal.SignalMapper;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.RuntimeSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sending side of the signal path: follows this agent's {@link SignalSource} (runtimes) and
 * {@link GpuSignalSource} (GPU readings), tells a change of content (a queue moved, a runtime went
 * down, a GPU's memory or utilization moved) from a mere fresher observation, and feeds every
 * open {@link OutboundStream}. A change of either costs one batch per subscribed router, at most
 * one per stream per {@link #DEFAULT_MIN_INTERVAL}, carrying both; a fresher observation with the
 * same content sends nothing, and the next heartbeat carries its age.
 *
 * <p>Thread-safe. {@link #close()} ends every stream normally.
 */
public final class SignalPublisher implements AutoCloseable {

  /**
   * 50 ms: a queue that moves with every request would otherwise cost a batch per scrape per
   * router even when scrapes are fast; 50 ms adds at most that much delay to a change, well under
   * the scrape interval (500 ms by default) that bounds freshness anyway.
   */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(50);

  private final String nodeId;
  private final SignalTimer timer;
  private final Clock clock;
  private final Duration minInterval;
  private final AtomicReference<OutboundStream.Snapshot> current;
  private final Set<OutboundStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param source this agent's runtimes
   * @param gpus this agent's GPU readings
   * @param clock the clock both sources stamp observations with; ages are measured on it
   */
  public SignalPublisher(String nodeId, SignalSource source, GpuSignalSource gpus,
      SignalTimer timer, Clock clock, Duration minInterval, MeterRegistry registry) {
    this.nodeId = nodeId;
    this.timer = timer;
    this.clock = clock;
    this.minInterval = minInterval;
    this.current = new AtomicReference<>(new OutboundStream.Snapshot(List.of(), 0));
    Gauge.builder("meshd.signal.streams", streams, Set::size)
        .description("Open signal streams: out, to routers subscribed to this agent")
        .tag("direction", "out")
        .register(registry);
    // Listen first, then seed: a scrape or a reading in between is seen either way.
    source.onSignals(this::onSignals);
    gpus.onGpus(this::onGpus);
    seed(source.signals(), gpus.gpus());
  }

  private synchronized void seed(List<RuntimeSignal> signals, List<GpuSignal> gpus) {
    // Before any subscriber exists: a list a listener already delivered is the newer one.
    OutboundStream.Snapshot now = current.get();
    current.set(new OutboundStream.Snapshot(
        now.signals().isEmpty() ? signals : now.signals(),
        now.gpus().isEmpty() ? gpus : now.gpus(), now.version()));
  }

  /** A new stream to {@code sink}; the caller {@link OutboundStream#start() starts} it. */
  OutboundStream subscribe(OutboundStream.Sink sink, Duration heartbeat) {
    OutboundStream stream = new OutboundStream(nodeId, sink, current::get, timer, clock,
        minInterval, heartbeat);
    streams.add(stream);
    if (closed) {
      stream.complete();
      streams.remove(stream);
    }
    return stream;
  }

  /** The subscriber of {@code stream} went away. */
  void unsubscribe(OutboundStream stream) {
    stream.close();
    streams.remove(stream);
  }

  /** Subscribed streams now. */
  public int streamCount() {
    return streams.size();
  }

  @Override
  public void close() {
    closed = true;
    for (OutboundStream stream : streams) {
      stream.complete();
    }
    streams.clear();
  }

  private synchronized void onSignals(List<RuntimeSignal> signals) {
    OutboundStream.Snapshot previous = current.get();
    publish(new OutboundStream.Snapshot(signals, previous.gpus(), previous.version()),
        !SignalMapper.sameContent(previous.signals(), signals));
  }

  private synchronized void onGpus(List<GpuSignal> gpus) {
    OutboundStream.Snapshot previous = current.get();
    publish(new OutboundStream.Snapshot(previous.signals(), gpus, previous.version()),
        !SignalMapper.sameGpuContent(previous.gpus(), gpus));
  }

  /** Fresher observations are kept even when nothing changed: heartbeats then carry their age. */
  private void publish(OutboundStream.Snapshot next, boolean changed) {
    current.set(changed
        ? new OutboundStream.Snapshot(next.signals(), next.gpus(), next.version() + 1)
        : next);
    if (changed) {
      for (OutboundStream stream : streams) {
        stream.onChange();
      }
    }
  }
}
