package dev.meshd.gossip;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.config.GossipTuning;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.gossip.internal.SwimStatusReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterConfig;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.membership.MemberStatus;
import io.scalecube.cluster.membership.MembershipEvent;
import io.scalecube.cluster.transport.api.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's membership in the fleet: joins the SWIM cluster (scalecube), publishes this node's
 * {@link CapabilityRecord} as authenticated member metadata and keeps the {@link FleetView}.
 *
 * <p>Lifecycle: {@link #start()} binds and joins; {@link #publish} replaces the record; {@link
 * #close()} leaves gracefully (peers see LEFT) and stops; all are safe to call twice. Threading:
 * scalecube runs on its own thread; everything that changes the view runs on this agent's
 * single event-loop thread, so listeners see changes in order.
 */
public final class GossipAgent implements FleetView, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GossipAgent.class);

  private final HostPort listen;
  private final List<HostPort> seeds;
  private final GossipTuning tuning;
  private final RecordEnvelope envelope;
  private final RecordCodec codec = new RecordCodec();
  private final FleetTable table;
  private final ScheduledExecutorService loop;
  private final RecordAuthenticator authenticator;
  /** Record changes put into this agent's gossip metadata (each costs the fleet N-1 fetches). */
  private final Counter publications;
  private final AtomicReference<CapabilityRecord> self;
  private final Object updateLock = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final UnaryOperator<Transport> transportDecorator;
  private volatile Cluster cluster;
  private volatile SwimStatusReader swimStatus;

  private GossipAgent(Builder b) {
    this.listen = b.listen;
    this.transportDecorator = b.transportDecorator;
    this.seeds = List.copyOf(b.seeds);
    this.tuning = b.tuning;
    this.envelope = b.clusterKey.map(RecordEnvelope::signed).orElseGet(RecordEnvelope::unsigned);
    this.self = new AtomicReference<>(b.record);
    this.table = new FleetTable(b.record, b.clock, b.retention);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("meshd-fleet-" + b.record.nodeId()).daemon().factory());
    this.authenticator = new RecordAuthenticator(envelope, codec, b.meterRegistry);
    registerMetrics(b.meterRegistry);
    this.publications = Counter.builder("meshd.gossip.record.publications")
        .description("Changes of this agent's capability record put into its gossip metadata; "
            + "every other member fetches each one")
        .register(b.meterRegistry);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the gossip port and joins through the seeds; completes when joined (or alone). */
  public CompletableFuture<Void> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    ClusterConfig config =
        ScalecubeConfigs.of(self.get().nodeId(), listen, advertisedHost(), seeds, tuning,
            sealed(self.get()), transportDecorator);
    return new ClusterImpl(config)
        .handler(c -> new Handler())
        .start()
        .toFuture()
        .thenAccept(
            c -> {
              cluster = c;
              swimStatus = new SwimStatusReader(c);
              long pollMs = Math.max(50, tuning.pingInterval().toMillis() / 2);
              loop.scheduleWithFixedDelay(this::pollSwimStatus, pollMs, pollMs,
                  TimeUnit.MILLISECONDS);
              loop.scheduleWithFixedDelay(table::expire, 1, 1, TimeUnit.SECONDS);
              LOG.info("gossip: joined as {} on {} (seeds {}, {} record signing)",
                  self.get().nodeId(), c.address(), seeds,
                  envelope.isSigned() ? "with" : "WITHOUT");
            });
  }

  /** This agent's current record. */
  public CapabilityRecord self() {
    return self.get();
  }

  /**
   * Replaces this node's record. Peers fetch it on the next SWIM round; pass a record with a
   * higher {@code recordVersion}.
   */
  public CompletableFuture<Void> publish(CapabilityRecord record) {
    Objects.requireNonNull(record, "record");
    self.set(record);
    loop.execute(() -> table.onSelfRecord(record));
    Cluster c = cluster;
    if (c == null) {
      return CompletableFuture.completedFuture(null);
    }
    publications.increment();
    return c.updateMetadata(sealed(record)).toFuture();
  }

  /**
   * Changes this node's record atomically with respect to other updates: {@code change} gets the
   * current record and returns the next one (with a higher {@code recordVersion}), or the same
   * instance when nothing changed, in which case nothing is published.
   */
  public CompletableFuture<Void> update(UnaryOperator<CapabilityRecord> change) {
    synchronized (updateLock) {
      CapabilityRecord current = self.get();
      CapabilityRecord next = change.apply(current);
      if (next == current) {
        return CompletableFuture.completedFuture(null);
      }
      return publish(next);
    }
  }

  @Override
  public List<FleetMember> members() {
    return table.members();
  }

  @Override
  public Optional<FleetMember> member(String nodeId) {
    return table.member(nodeId);
  }

  @Override
  public Subscription subscribe(Consumer<FleetEvent> listener) {
    return table.subscribe(listener);
  }

  /** Records dropped since start, all reasons. */
  public long rejectedRecords() {
    return authenticator.rejectedCount();
  }

  /** The address peers reach this agent's gossip on. */
  public String address() {
    Cluster c = cluster;
    return c == null ? advertisedHost() + ":" + listen.port() : c.address();
  }

  /** Leaves gracefully (peers see LEFT), waiting at most {@code timeout}, then stops. */
  public void leave(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Cluster c = cluster;
    if (c != null) {
      loop.execute(table::onSelfLeaving);
      c.shutdown();
      try {
        c.onShutdown().block(timeout);
      } catch (RuntimeException e) {
        LOG.warn("gossip: leave did not finish within {}: {}", timeout, e.toString());
      }
    }
    loop.shutdown();
    try {
      loop.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    leave(Duration.ofSeconds(3));
  }

  /** A wildcard bind address cannot be dialled: advertise this host's address instead. */
  private String advertisedHost() {
    try {
      InetAddress bind = InetAddress.getByName(listen.host());
      return bind.isAnyLocalAddress()
          ? InetAddress.getLocalHost().getHostAddress()
          : bind.getHostAddress();
    } catch (UnknownHostException e) {
      return listen.host();
    }
  }

  private byte[] sealed(CapabilityRecord record) {
    return envelope.seal(codec.encode(record));
  }

  private void pollSwimStatus() {
    SwimStatusReader reader = swimStatus;
    if (reader == null || closed.get()) {
      return;
    }
    reader.read().thenAcceptAsync(this::applySwimStatus, loop).exceptionally(e -> null);
  }

  private void applySwimStatus(Map<String, MemberStatus> statuses) {
    Set<String> suspects = new HashSet<>();
    Set<String> alive = new HashSet<>();
    statuses.forEach(
        (memberId, status) -> {
          if (status == MemberStatus.SUSPECT) {
            suspects.add(memberId);
          } else if (status == MemberStatus.ALIVE) {
            alive.add(memberId);
          }
        });
    table.onSuspects(suspects, alive);
  }

  private void onMembershipEvent(MembershipEvent event) {
    String memberId = event.member().id();
    String address = event.member().address();
    switch (event.type()) {
      case ADDED, UPDATED -> {
        Optional<CapabilityRecord> record =
            authenticator.authenticate(address, event.newMetadata());
        record.ifPresent(r -> table.onMemberRecord(memberId, r));
      }
      case LEAVING -> table.onMemberLeaving(memberId);
      case REMOVED -> table.onMemberRemoved(memberId);
    }
  }

  private void registerMetrics(MeterRegistry registry) {
    for (MemberState state : MemberState.values()) {
      Gauge.builder("meshd.gossip.members", table, t -> count(t, state))
          .description("Fleet members by SWIM state, as this agent sees them (itself included)")
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry);
    }
  }

  private static double count(FleetTable table, MemberState state) {
    return table.members().stream().filter(m -> m.state() == state).count();
  }

  private final class Handler implements ClusterMessageHandler {
    @Override
    public void onMembershipEvent(MembershipEvent event) {
      loop.execute(() -> GossipAgent.this.onMembershipEvent(event));
    }
  }

  /** Builds a {@link GossipAgent}; {@link #build()} names whatever is missing. */
  public static final class Builder {
    private HostPort listen;
    private List<HostPort> seeds = List.of();
    private GossipTuning tuning;
    private CapabilityRecord record;
    private Optional<ClusterKey> clusterKey = Optional.empty();
    private MeterRegistry meterRegistry;
    private Clock clock = Clock.systemUTC();
    private Duration retention = Duration.ofMinutes(10);
    private UnaryOperator<Transport> transportDecorator = UnaryOperator.identity();

    private Builder() {}

    /**
     * Wraps the gossip transport, for fault injection in tests (dropping or delaying a node's
     * gossip); production code leaves it unset.
     */
    public Builder transportDecorator(UnaryOperator<Transport> transportDecorator) {
      this.transportDecorator = transportDecorator;
      return this;
    }

    public Builder listen(HostPort listen) {
      this.listen = listen;
      return this;
    }

    public Builder seeds(List<HostPort> seeds) {
      this.seeds = seeds;
      return this;
    }

    public Builder tuning(GossipTuning tuning) {
      this.tuning = tuning;
      return this;
    }

    public Builder record(CapabilityRecord record) {
      this.record = record;
      return this;
    }

    public Builder clusterKey(Optional<ClusterKey> clusterKey) {
      this.clusterKey = clusterKey;
      return this;
    }

    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How long DEAD and LEFT members stay visible; default 10 minutes. */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    public GossipAgent build() {
      StringBuilder missing = new StringBuilder();
      if (listen == null) {
        missing.append(" listen");
      }
      if (tuning == null) {
        missing.append(" tuning");
      }
      if (record == null) {
        missing.append(" record");
      }
      if (meterRegistry == null) {
        missing.append(" meterRegistry");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("GossipAgent.Builder is missing:" + missing);
      }
      return new GossipAgent(this);
    }
  }
}
