package dev.meshd.agent.signal;

import dev.meshd.agent.signal.internal.SignalMapper;
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
 * The sending side of the signal path: follows this agent's {@link SignalSource}, tells a change
 * of content (a queue moved, a runtime went down) from a mere fresher observation, and feeds
 * every open {@link OutboundStream}. A change costs one batch per subscribed router, at most one
 * per stream per {@link #DEFAULT_MIN_INTERVAL}.
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
   * @param clock the clock the source stamps observations with; ages are measured on it
   */
  public SignalPublisher(String nodeId, SignalSource source, SignalTimer timer, Clock clock,
      Duration minInterval, MeterRegistry registry) {
    this.nodeId = nodeId;
    this.timer = timer;
    this.clock = clock;
    this.minInterval = minInterval;
    this.current = new AtomicReference<>(new OutboundStream.Snapshot(List.of(), 0));
    Gauge.builder("meshd.signal.streams", streams, Set::size)
        .description("Open signal streams: out, to routers subscribed to this agent")
        .tag("direction", "out")
        .register(registry);
    // Listen first, then seed: a scrape in between is seen either way.
    source.onSignals(this::onSignals);
    seed(source.signals());
  }

  private synchronized void seed(List<RuntimeSignal> signals) {
    if (current.get().version() == 0 && current.get().signals().isEmpty()) {
      current.set(new OutboundStream.Snapshot(List.copyOf(signals), 0));
    }
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
    boolean changed = !SignalMapper.sameContent(previous.signals(), signals);
    // Fresher observations are kept even when nothing changed: heartbeats then carry their age.
    current.set(new OutboundStream.Snapshot(List.copyOf(signals),
        changed ? previous.version() + 1 : previous.version()));
    if (changed) {
      for (OutboundStream stream : streams) {
        stream.onChange();
      }
    }
  }
}
