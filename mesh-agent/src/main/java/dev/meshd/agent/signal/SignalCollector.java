package dev.meshd.agent.signal;

import dev.meshd.agent.signal.internal.SignalMapper;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.signal.AgedGpuSignal;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.core.signal.SignalView;
import dev.meshd.proto.v1.GpuLoad;
import dev.meshd.proto.v1.RuntimeLoad;
import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.proto.v1.SignalServiceGrpc;
import dev.meshd.proto.v1.WatchSignalsRequest;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of the signal path, on an agent with role {@code router}: follows the fleet,
 * holds one {@code WatchSignals} stream to every ALIVE member that has runtimes (never to itself:
 * its own signals come from the local view; nor to a member without runtimes, which nothing
 * routes to, so its GPU figures are the record's), and keeps the latest batch of each node with
 * the monotonic time it arrived. {@link #signals} and {@link #gpus} age each signal and reading by
 * the receiver's clock alone: the age the sender reported plus the time since receipt.
 *
 * <p>A stream that fails is reopened after a backoff ({@link #MIN_BACKOFF} doubling to {@link
 * #MAX_BACKOFF}); one silent for {@link #SILENCE_HEARTBEATS} heartbeats is cancelled and reopened
 * (a half-open connection). While a node's stream is down its last signals stay and keep ageing,
 * so the router's staleness bound distrusts them; a DEAD member's stream is closed, and a member
 * that LEFT or was removed is forgotten.
 *
 * <p>Thread-safe. Streams are owned by this object's lock; readers see immutable batches through
 * a concurrent map, without locking.
 */
public final class SignalCollector implements SignalView, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SignalCollector.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Short enough that a restarted agent is streaming again before its signals go stale. */
  static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  /** A node that stays unreachable costs one attempt per 5 s. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Heartbeats missed before a stream is taken for dead and reopened. */
  static final int SILENCE_HEARTBEATS = 3;

  private final String selfId;
  private final FleetView fleet;
  private final SignalView local;
  private final Function<String, Channel> channels;
  private final Optional<String> agentToken;
  private final Duration heartbeat;
  private final SignalTimer timer;
  private final Clock clock;
  private final SignalMetrics metrics;
  private final Map<String, Inbound> streams = new HashMap<>(); // guarded by this
  private final Map<String, Received> latest = new ConcurrentHashMap<>();
  /** Bumped after every change of {@link #latest}, for {@link #version()}. */
  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private FleetView.Subscription subscription; // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  /** One node's latest batch, as received. */
  private record Received(List<Entry> entries, List<GpuEntry> gpus, long receivedNanos) {}

  /** One runtime's signal with the age its sender reported. */
  private record Entry(RuntimeSignal signal, long ageMicros) {}

  /** One GPU's reading with the age its sender reported. */
  private record GpuEntry(GpuSignal signal, long ageMicros) {}

  private SignalCollector(Builder b) {
    this.selfId = b.selfId;
    this.fleet = b.fleet;
    this.local = b.local;
    this.channels = b.channels;
    this.agentToken = b.agentToken;
    this.heartbeat = b.heartbeat;
    this.timer = b.timer;
    this.clock = b.clock;
    this.metrics = new SignalMetrics(b.registry, this::openStreamCount);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Subscribes to the fleet and opens the streams of the members already known; idempotent. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    subscription = fleet.subscribe(this::onFleetEvent);
    for (FleetMember member : fleet.members()) {
      reconcile(member, false);
    }
    scheduleWatchdog();
  }

  @Override
  public List<AgedSignal> signals(String nodeId) {
    if (selfId.equals(nodeId)) {
      return local.signals(nodeId);
    }
    Received received = latest.get(nodeId);
    if (received == null) {
      return List.of();
    }
    long sinceNanos = Math.max(0, timer.nanoTime() - received.receivedNanos());
    List<AgedSignal> out = new ArrayList<>(received.entries().size());
    for (Entry entry : received.entries()) {
      out.add(new AgedSignal(entry.signal(),
          Duration.ofNanos(entry.ageMicros() * 1_000 + sinceNanos)));
    }
    return out;
  }

  /** The latest GPU readings of {@code nodeId}, aged as {@link #signals} ages runtimes. */
  @Override
  public List<AgedGpuSignal> gpus(String nodeId) {
    if (selfId.equals(nodeId)) {
      return local.gpus(nodeId);
    }
    Received received = latest.get(nodeId);
    if (received == null || received.gpus().isEmpty()) {
      return List.of();
    }
    long sinceNanos = Math.max(0, timer.nanoTime() - received.receivedNanos());
    List<AgedGpuSignal> out = new ArrayList<>(received.gpus().size());
    for (GpuEntry entry : received.gpus()) {
      out.add(new AgedGpuSignal(entry.signal(),
          Duration.ofNanos(entry.ageMicros() * 1_000 + sinceNanos)));
    }
    return out;
  }

  /**
   * Changes with every batch stored (heartbeats included: they renew the age) and every node
   * forgotten, and with this agent's own signals. Both counters only grow, so their sum changes
   * whenever either does.
   */
  @Override
  public long version() {
    long own = local.version();
    return own == UNVERSIONED ? UNVERSIONED : changes.get() + own;
  }

  /**
   * Calls {@code listener} with the node id after each batch is stored, on the thread that
   * received it. The listener must not block.
   */
  public void onReceived(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** The nodes this router has a stream open to (or being reopened), sorted. */
  public synchronized Set<String> streamingFrom() {
    return new TreeSet<>(streams.keySet());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (subscription != null) {
      subscription.close();
    }
    for (Inbound inbound : streams.values()) {
      inbound.stop("router stopping");
    }
    streams.clear();
  }

  private void forget(String nodeId) {
    if (latest.remove(nodeId) != null) {
      changes.incrementAndGet();
    }
  }

  private void onFleetEvent(FleetEvent event) {
    reconcile(event.member(), event.type() == FleetEvent.Type.REMOVED);
  }

  private synchronized void reconcile(FleetMember member, boolean removed) {
    String nodeId = member.nodeId();
    if (closed || nodeId.equals(selfId)) {
      return;
    }
    MemberState state = member.state();
    if (removed || state == MemberState.LEFT) {
      stopStream(nodeId, "member left");
      forget(nodeId);
      return;
    }
    if (state == MemberState.DEAD) {
      stopStream(nodeId, "member dead"); // its last signals age until it is removed
      return;
    }
    if (state == MemberState.SUSPECT) {
      return; // the stream, if it is really gone, fails and retries by itself
    }
    String address = member.record().grpcAddress();
    if (member.record().runtimes().isEmpty() || address.isBlank()) {
      stopStream(nodeId, "member has no runtimes");
      forget(nodeId);
      return;
    }
    Inbound existing = streams.get(nodeId);
    if (existing != null && existing.address.equals(address)) {
      return;
    }
    stopStream(nodeId, "member moved to " + address);
    Inbound inbound = new Inbound(nodeId, address);
    streams.put(nodeId, inbound);
    inbound.open();
  }

  private void stopStream(String nodeId, String why) {
    Inbound inbound = streams.remove(nodeId);
    if (inbound != null) {
      inbound.stop(why);
    }
  }

  private synchronized int openStreamCount() {
    int open = 0;
    for (Inbound inbound : streams.values()) {
      if (inbound.call != null) {
        open++;
      }
    }
    return open;
  }

  private void scheduleWatchdog() {
    timer.schedule(heartbeat, this::checkSilence);
  }

  private synchronized void checkSilence() {
    if (closed) {
      return;
    }
    long now = timer.nanoTime();
    long limit = heartbeat.toNanos() * SILENCE_HEARTBEATS;
    for (Inbound inbound : streams.values()) {
      if (inbound.call != null && now - inbound.lastHeardNanos > limit) {
        inbound.call.cancel("no signal batch within " + SILENCE_HEARTBEATS + " heartbeats", null);
      }
    }
    scheduleWatchdog();
  }

  /** The stream from one member; its fields are guarded by the collector's lock. */
  private final class Inbound {
    final String nodeId;
    final String address;
    ClientCallStreamObserver<WatchSignalsRequest> call;
    long attempt;
    int failures;
    long lastHeardNanos;
    boolean stopped;
    SignalTimer.Cancellable retry;

    Inbound(String nodeId, String address) {
      this.nodeId = nodeId;
      this.address = address;
    }

    /** Opens a new call; the collector's lock is held. */
    void open() {
      long thisAttempt = ++attempt;
      lastHeardNanos = timer.nanoTime();
      Metadata headers = new Metadata();
      agentToken.ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
      WatchSignalsRequest request = WatchSignalsRequest.newBuilder()
          .setSubscriber(selfId)
          .setHeartbeatMillis(heartbeat.toMillis())
          .build();
      SignalServiceGrpc.newStub(channels.apply(address))
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .watchSignals(request, new ClientResponseObserver<WatchSignalsRequest, SignalBatch>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchSignalsRequest> started) {
              call = started; // still inside open(), under the lock
            }

            @Override
            public void onNext(SignalBatch batch) {
              onBatch(Inbound.this, thisAttempt, batch);
            }

            @Override
            public void onError(Throwable t) {
              onEnded(Inbound.this, thisAttempt, Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              onEnded(Inbound.this, thisAttempt,
                  Status.UNAVAILABLE.withDescription("sender ended the stream"));
            }
          });
    }

    /** Ends this stream for good; the collector's lock is held. */
    void stop(String why) {
      stopped = true;
      if (retry != null) {
        retry.cancel();
      }
      ClientCallStreamObserver<WatchSignalsRequest> current = call;
      call = null;
      if (current != null) {
        current.cancel(why, null);
      }
    }
  }

  private void onBatch(Inbound inbound, long attempt, SignalBatch batch) {
    long receivedNanos = timer.nanoTime();
    Instant receivedAt = clock.instant();
    List<Entry> entries = new ArrayList<>(batch.getRuntimesCount());
    for (RuntimeLoad load : batch.getRuntimesList()) {
      try {
        entries.add(new Entry(SignalMapper.fromProto(load, receivedAt),
            Math.max(0, load.getAgeMicros())));
      } catch (IllegalArgumentException e) {
        LOG.debug("signal from {}: runtime {} ignored: {}", inbound.nodeId, load.getEndpoint(),
            e.getMessage());
      }
    }
    List<GpuEntry> gpus = new ArrayList<>(batch.getGpusCount());
    for (GpuLoad gpu : batch.getGpusList()) {
      try {
        gpus.add(new GpuEntry(SignalMapper.fromProto(gpu, receivedAt),
            Math.max(0, gpu.getAgeMicros())));
      } catch (IllegalArgumentException e) {
        LOG.debug("signal from {}: GPU {} ignored: {}", inbound.nodeId, gpu.getUuid(),
            e.getMessage());
      }
    }
    synchronized (this) {
      if (closed || inbound.stopped || inbound.attempt != attempt) {
        return; // a late batch of a stream already replaced or stopped
      }
      if (!batch.getNodeId().equals(inbound.nodeId)) {
        LOG.warn("signal stream to {} at {} answered as {}: reopening", inbound.nodeId,
            inbound.address, batch.getNodeId());
        inbound.call.cancel("wrong node", null);
        return;
      }
      inbound.failures = 0;
      inbound.lastHeardNanos = receivedNanos;
      latest.put(inbound.nodeId,
          new Received(List.copyOf(entries), List.copyOf(gpus), receivedNanos));
      changes.incrementAndGet();
    }
    metrics.onBatch(entries.stream().mapToLong(Entry::ageMicros));
    for (Consumer<String> listener : listeners) {
      listener.accept(inbound.nodeId);
    }
  }

  private synchronized void onEnded(Inbound inbound, long attempt, Status status) {
    if (closed || inbound.stopped || inbound.attempt != attempt) {
      return;
    }
    inbound.call = null;
    inbound.failures++;
    Duration delay = backoff(inbound.failures);
    String what = status.getCode() + (status.getDescription() == null ? ""
        : ": " + status.getDescription());
    if (status.getCode() == Status.Code.UNAUTHENTICATED
        || status.getCode() == Status.Code.PERMISSION_DENIED) {
      // A cluster-key mismatch or a missing key: an operator has to act, so say it each time.
      LOG.warn("signal stream from {} at {} refused ({}); check security.cluster-key-file",
          inbound.nodeId, inbound.address, what);
    } else if (inbound.failures == 1) {
      LOG.info("signal stream from {} at {} ended ({}); reopening", inbound.nodeId,
          inbound.address, what);
    } else {
      LOG.debug("signal stream from {} at {} failed again ({}); next try in {} ms",
          inbound.nodeId, inbound.address, what, delay.toMillis());
    }
    inbound.retry = timer.schedule(delay, () -> reopen(inbound));
  }

  private synchronized void reopen(Inbound inbound) {
    if (!closed && !inbound.stopped && streams.get(inbound.nodeId) == inbound
        && inbound.call == null) {
      inbound.open();
    }
  }

  /** {@link #MIN_BACKOFF} doubled per failure after the first, up to {@link #MAX_BACKOFF}. */
  static Duration backoff(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 16);
    Duration delay = MIN_BACKOFF.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
  }

  /** Collects the collector's collaborators; {@link #build()} names what is missing. */
  public static final class Builder {
    private String selfId;
    private FleetView fleet;
    private SignalView local;
    private Function<String, Channel> channels;
    private Optional<String> agentToken = Optional.empty();
    private Duration heartbeat;
    private SignalTimer timer;
    private Clock clock;
    private MeterRegistry registry;

    private Builder() {}

    public Builder selfId(String selfId) {
      this.selfId = selfId;
      return this;
    }

    public Builder fleet(FleetView fleet) {
      this.fleet = fleet;
      return this;
    }

    /** This agent's own signals ({@link LocalSignalView}). */
    public Builder local(SignalView local) {
      this.local = local;
      return this;
    }

    /** The channel to an agent's gRPC address ({@code AgentChannels::channel}). */
    public Builder channels(Function<String, Channel> channels) {
      this.channels = channels;
      return this;
    }

    /** The credential derived from the cluster key; empty when the mesh runs without one. */
    public Builder agentToken(Optional<String> agentToken) {
      this.agentToken = Objects.requireNonNull(agentToken, "agentToken");
      return this;
    }

    /** {@code router.signal-heartbeat}: asked of every sender. */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    public Builder timer(SignalTimer timer) {
      this.timer = timer;
      return this;
    }

    /** Only for the receiver-side estimate of {@code observedAt}; ages use {@link #timer}. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public SignalCollector build() {
      List<String> missing = new ArrayList<>();
      if (selfId == null) {
        missing.add("selfId");
      }
      if (fleet == null) {
        missing.add("fleet");
      }
      if (local == null) {
        missing.add("local");
      }
      if (channels == null) {
        missing.add("channels");
      }
      if (heartbeat == null) {
        missing.add("heartbeat");
      }
      if (timer == null) {
        missing.add("timer");
      }
      if (clock == null) {
        missing.add("clock");
      }
      if (registry == null) {
        missing.add("meterRegistry");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("SignalCollector: missing " + missing);
      }
      return new SignalCollector(this);
    }
  }
}
