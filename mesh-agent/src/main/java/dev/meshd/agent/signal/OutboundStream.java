package dev.meshd.agent.signal;

import dev.meshd.agent.signal.internal.SignalMapper;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.proto.v1.SignalBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One subscriber's stream of signal batches: the first batch at once, then one per change,
 * coalesced so that at most one batch leaves per {@code minInterval} (the one sent carries the
 * latest signals: intermediate states are dropped, never queued), and a heartbeat when nothing
 * was sent for {@code heartbeat}. While the transport is not ready (a slow subscriber) nothing is
 * built or buffered; the latest state goes out once it is ready again.
 *
 * <p>Thread-safe: every method holds this object's lock, which also keeps {@link Sink#send}
 * calls from overlapping.
 */
final class OutboundStream {

  /** The transport of one stream: a gRPC server call in production, a fake in tests. */
  interface Sink {
    /** False while the transport's buffer is full. */
    boolean isReady();

    void send(SignalBatch batch);

    /** Ends the stream normally (the sender is shutting down). */
    void complete();
  }

  /**
   * The publisher's current signals and GPU readings; {@code version} grows with every change of
   * content.
   */
  record Snapshot(List<RuntimeSignal> signals, List<GpuSignal> gpus, long version) {

    Snapshot {
      signals = List.copyOf(signals);
      gpus = List.copyOf(gpus);
    }

    /** Runtime signals only. */
    Snapshot(List<RuntimeSignal> signals, long version) {
      this(signals, List.of(), version);
    }
  }

  private final String nodeId;
  private final Sink sink;
  private final Supplier<Snapshot> snapshots;
  private final SignalTimer timer;
  private final Clock clock;
  private final long minIntervalNanos;
  private final Duration heartbeat;

  // Guarded by this.
  private long sequence;
  private long sentVersion = -1;
  private long lastSentNanos;
  private boolean flushScheduled;
  private boolean waitingForReady;
  private SignalTimer.Cancellable heartbeatTimer;
  private boolean closed;

  OutboundStream(String nodeId, Sink sink, Supplier<Snapshot> snapshots, SignalTimer timer,
      Clock clock, Duration minInterval, Duration heartbeat) {
    this.nodeId = nodeId;
    this.sink = sink;
    this.snapshots = snapshots;
    this.timer = timer;
    this.clock = clock;
    this.minIntervalNanos = minInterval.toNanos();
    this.heartbeat = heartbeat;
  }

  /** Sends the first batch (or waits for the transport to be ready). */
  synchronized void start() {
    flushNow();
  }

  /** The publisher's signals changed: send them now, or once the minimum interval has passed. */
  synchronized void onChange() {
    if (closed || flushScheduled || waitingForReady) {
      return; // a send is already due, and it will read the latest snapshot
    }
    long wait = lastSentNanos + minIntervalNanos - timer.nanoTime();
    if (sequence == 0 || wait <= 0) {
      flushNow();
    } else {
      flushScheduled = true;
      timer.schedule(Duration.ofNanos(wait), this::onFlushDue);
    }
  }

  /** The transport can take more: send what was held back. */
  synchronized void onReady() {
    if (!closed && waitingForReady && sink.isReady()) {
      waitingForReady = false;
      flushNow();
    }
  }

  /** The subscriber went away: stop, without touching the transport. */
  synchronized void close() {
    closed = true;
    cancelHeartbeat();
  }

  /** The sender is stopping: end the stream normally. */
  synchronized void complete() {
    if (!closed) {
      close();
      try {
        sink.complete();
      } catch (RuntimeException e) {
        // The call ended meanwhile: nothing left to complete.
      }
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void onFlushDue() {
    flushScheduled = false;
    if (!closed) {
      flushNow();
    }
  }

  private synchronized void onHeartbeatDue() {
    if (closed || flushScheduled || waitingForReady
        || timer.nanoTime() - lastSentNanos < heartbeat.toNanos()) {
      return; // something else sends soon, or this timer was overtaken by a send
    }
    flushNow();
  }

  private void flushNow() {
    if (!sink.isReady()) {
      waitingForReady = true;
      return;
    }
    Snapshot snapshot = snapshots.get();
    SignalBatch batch = SignalMapper.toBatch(nodeId, ++sequence, snapshot.signals(),
        snapshot.gpus(), clock.instant(), snapshot.version() == sentVersion);
    try {
      sink.send(batch);
    } catch (RuntimeException e) {
      // The call was cancelled between the check and the send; its cancel handler closes us.
      close();
      return;
    }
    sentVersion = snapshot.version();
    lastSentNanos = timer.nanoTime();
    cancelHeartbeat();
    heartbeatTimer = timer.schedule(heartbeat, this::onHeartbeatDue);
  }

  private void cancelHeartbeat() {
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
      heartbeatTimer = null;
    }
  }
}
