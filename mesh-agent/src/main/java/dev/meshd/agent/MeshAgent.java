package dev.meshd.agent;

import dev.meshd.agent.api.MeshGrpcService;
import dev.meshd.agent.api.ResponseWarnings;
import dev.meshd.agent.auth.BearerAuthInterceptor;
import dev.meshd.agent.auth.CertificateExpiry;
import dev.meshd.agent.auth.GrpcTls;
import dev.meshd.agent.auth.TokenRegistry;
import dev.meshd.agent.auth.TokensFile;
import dev.meshd.agent.control.PolicyPlane;
import dev.meshd.agent.fabric.BuiltInTransports;
import dev.meshd.agent.fabric.FabricGrpcService;
import dev.meshd.agent.fabric.FabricMetrics;
import dev.meshd.agent.fabric.FabricPlane;
import dev.meshd.agent.forward.AgentChannels;
import dev.meshd.agent.inventory.FabricRefresher;
import dev.meshd.agent.inventory.FabricSources;
import dev.meshd.agent.inventory.GpuRefresher;
import dev.meshd.agent.inventory.Inventory;
import dev.meshd.agent.runtime.RuntimeMonitor;
import dev.meshd.agent.router.RouterPlane;
import dev.meshd.agent.router.RoutingTableFeed;
import dev.meshd.agent.store.StoreView;
import dev.meshd.agent.links.LinkRef;
import dev.meshd.agent.links.LinkSettings;
import dev.meshd.agent.links.PlacementLinkReconciler;
import dev.meshd.agent.fabric.LinkGauges;
import dev.meshd.agent.fabric.QuicPlane;
import dev.meshd.fabric.quic.QuicStageTransport;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RouterConfig;
import dev.meshd.router.StalePolicy;
import dev.meshd.router.ingress.IngressSettings;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.agent.metrics.GpuMetrics;
import dev.meshd.agent.metrics.MetricsHttpServer;
import dev.meshd.agent.signal.DeferredSignalView;
import dev.meshd.agent.signal.GpuReadings;
import dev.meshd.agent.signal.LocalSignalView;
import dev.meshd.agent.signal.SignalCollector;
import dev.meshd.agent.signal.SignalGrpcService;
import dev.meshd.agent.signal.SignalPublisher;
import dev.meshd.agent.signal.SignalTimer;
import dev.meshd.agent.telemetry.GrpcServerTracing;
import dev.meshd.agent.telemetry.Tracing;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.gpu.GpuProbe;
import dev.meshd.core.grpc.GrpcKeepAlive;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.core.signal.SignalView;
import dev.meshd.fabric.discovery.FabricDiscovery;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.TransportOrder;
import dev.meshd.gossip.GossipAgent;
import io.grpc.ChannelCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the only place that wires the modules together.
 *
 * <p>Start order: tracing, metrics endpoint, inventory, gossip, the GPU and fabric refreshers
 * (the first fabric discovery runs in the background), runtime monitor, the policy plane
 * (the Raft voter on control nodes), the store view, gRPC API (with the signal streams to
 * routers), on a router the signal collector and then the ingress, then ready. {@link #close()}
 * undoes them in reverse, once, within a bounded time: not ready, ingress drained (open streams
 * finish within router.drain-timeout), collector stopped, gRPC drained (signal streams ended),
 * store view stopped, Raft voter stopped, fleet left (peers see LEFT), refreshers and metrics
 * endpoint stopped, buffered spans flushed.
 */
public final class MeshAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeshAgent.class);

  private final AgentConfig config;
  private final GpuProbe gpuProbe;
  private final FabricDiscovery fabricDiscovery;
  private final Clock clock;
  private final List<StageTransport> transports;
  private final String noTransportReason;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private GossipAgent gossip;
  private Server grpcServer;
  private MetricsHttpServer metricsServer;
  private Tracing tracing;
  private PolicyPlane policyPlane;
  private StoreView storeView;
  private RouterPlane routerPlane;
  private RuntimeMonitor runtimeMonitor;
  private GpuReadings gpuReadings;
  private SignalView signalView;
  /** {@link #signalView} for the components built before it starts. */
  private final DeferredSignalView deferredSignals = new DeferredSignalView();
  private SignalCollector signalCollector;
  private FabricPlane fabricPlane;
  private QuicPlane quicPlane;
  private PlacementLinkReconciler linkReconciler;
  private ServerCredentials serverCredentials;
  private ChannelCredentials peerCredentials;

  /**
   * An agent that discovers its fabric with this host's sources ({@link FabricSources}) and
   * negotiates stage links with the transports this build implements ({@link
   * BuiltInTransports}).
   */
  public MeshAgent(AgentConfig config, GpuProbe gpuProbe, Clock clock) {
    this(config, gpuProbe, FabricSources.standard(System.getenv()), clock);
  }

  /**
   * @param fabricDiscovery where the record's fabric part comes from; it must bound itself in
   *     time (a {@code CompositeFabricDiscovery} does)
   */
  public MeshAgent(AgentConfig config, GpuProbe gpuProbe, FabricDiscovery fabricDiscovery,
      Clock clock) {
    this(config, gpuProbe, fabricDiscovery, clock, null,
        BuiltInTransports.reason(config.fabric()));
  }

  /**
   * An agent with the given stage transports instead of the built-in ones (tests inject fakes).
   *
   * @param noTransportReason what FAILED_PRECONDITION says when {@code transports} serves none
   *     of {@code fabric.order}
   */
  public MeshAgent(AgentConfig config, GpuProbe gpuProbe, Clock clock,
      List<StageTransport> transports, String noTransportReason) {
    this(config, gpuProbe, FabricSources.standard(System.getenv()), clock, transports,
        noTransportReason);
  }

  /**
   * Every collaborator given: the fabric sources and the stage transports.
   *
   * @param transports the stage transports; null: the built-in ones ({@link BuiltInTransports}),
   *     which start with the agent
   */
  public MeshAgent(AgentConfig config, GpuProbe gpuProbe, FabricDiscovery fabricDiscovery,
      Clock clock, List<StageTransport> transports, String noTransportReason) {
    this.config = config;
    this.gpuProbe = gpuProbe;
    this.fabricDiscovery = fabricDiscovery;
    this.clock = clock;
    this.transports = transports == null ? null : List.copyOf(transports);
    this.noTransportReason = noTransportReason;
  }

  /**
   * Starts every component; on failure stops what already started and rethrows.
   *
   * @throws AgentStartException naming the component that could not start
   */
  public void start() {
    try {
      tracing = Tracing.fromConfig(config.telemetry(), config.node().id());
      started.push(tracing);
      bindProcessMetrics();
      metricsServer = startMetrics();
      Optional<ClusterKey> clusterKey = loadClusterKey();
      // Read the TLS files before anything joins the fleet: a bad file stops the start here.
      serverCredentials = GrpcTls.server(config.security().tls());
      peerCredentials = GrpcTls.client(config.security().tls());
      CertificateExpiry.report(config.security().tls(), registry, clock);
      Optional<TokenRegistry> tokens =
          config.security().tokensFile().map(f -> new TokenRegistry(TokensFile.read(f), clusterKey));
      if (transports == null && config.fabric().order().contains(QuicStageTransport.GROUP)) {
        quicPlane = QuicPlane.start(config, () -> gossip);
        started.push(quicPlane);
      }
      Inventory inventory = new Inventory(config, gpuProbe, AgentVersion.get(), clock);
      CapabilityRecord record = inventory.initialRecord();
      gossip = startGossip(record, clusterKey);
      gpuReadings = new GpuReadings();
      GpuRefresher refresher = new GpuRefresher(inventory::readGpus, gossip::self,
          gossip::update, new GpuMetrics(registry), gpuReadings, clock,
          GpuRefresher.Intervals.of(config.gpus()));
      refresher.start();
      started.push(refresher);
      FabricRefresher fabric =
          new FabricRefresher(fabricDiscovery, this::quicEndpoint, gossip::update);
      fabric.start(FabricRefresher.INTERVAL);
      started.push(fabric);
      runtimeMonitor = new RuntimeMonitor(config.runtimes(), gossip::update, registry, clock);
      runtimeMonitor.start();
      started.push(runtimeMonitor);
      policyPlane = PolicyPlane.start(config, gossip, clusterKey, peerCredentials, registry,
          clock);
      started.push(policyPlane);
      storeView = new StoreView(policyPlane.storeSource());
      storeView.start();
      started.push(storeView);
      SignalTimer signalTimer = SignalTimer.system("meshd-signal");
      started.push(signalTimer);
      SignalPublisher publisher = new SignalPublisher(config.node().id(), runtimeMonitor,
          gpuReadings, signalTimer, clock, SignalPublisher.DEFAULT_MIN_INTERVAL, registry);
      routerPlane = newRouterPlane();
      fabricPlane = newFabricPlane(clusterKey);
      grpcServer = startGrpc(tokens, policyPlane, publisher);
      startLinkReconciler();
      signalView = startSignalView(clusterKey, signalTimer);
      deferredSignals.set(signalView);
      routerPlane.startIngress();
      started.push(routerPlane);
      ready.set(true);
      LOG.info("agent {} ready: grpc {}, gossip {}, metrics {}", config.node().id(),
          config.listen().grpc(), gossip.address(), config.listen().metrics());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public AgentConfig config() {
    return config;
  }

  public boolean isReady() {
    return ready.get();
  }

  public GossipAgent gossip() {
    return gossip;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** This control node's policy store (backed by its Raft voter); empty on other nodes. */
  public Optional<PolicyStore> policyStore() {
    return policyPlane == null ? Optional.empty() : policyPlane.localStore();
  }

  /** Routing on this agent: the router and its ingress (on role router), RouterService. */
  public RouterPlane routerPlane() {
    return routerPlane;
  }

  /** This agent's watched copy of the policy store (policies, placements, drains). */
  public StoreView storeView() {
    return storeView;
  }

  /** The runtimes this agent scrapes and their latest signals. */
  public RuntimeMonitor runtimes() {
    return runtimeMonitor;
  }

  /**
   * The fleet's load signals as this agent holds them: on a router, every member's (streamed to
   * it); elsewhere, its own runtimes' only.
   */
  public SignalView signalView() {
    return signalView;
  }

  /** The collector of the fast signal path on a router; empty on other agents. */
  public Optional<SignalCollector> signalCollector() {
    return Optional.ofNullable(signalCollector);
  }

  /** Stage-transport negotiation on this agent (FabricService, its metrics and history). */
  public FabricPlane fabric() {
    return fabricPlane;
  }

  /** The gRPC port actually bound. */
  public int grpcPort() {
    return grpcServer.getPort();
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    LOG.info("agent {} stopping", config.node().id());
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
      }
    }
    registry.close();
    LOG.info("agent {} stopped", config.node().id());
  }

  private void bindProcessMetrics() {
    registry.config().commonTags("node", config.node().id());
    // Two of Micrometer's names fail `promtool check metrics`: process_cpu_time_ns_total
    // (abbreviated unit; process_cpu_usage carries the same) and system_cpu_count (a gauge with
    // a _count suffix), exported instead as system_cpus.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * The QUIC endpoint this agent publishes in its record's fabric part: its QUIC server's
   * address and certificate fingerprint, which peers pin; none when QUIC is not in {@code
   * fabric.order} or the transports were injected.
   */
  private Optional<QuicEndpoint> quicEndpoint() {
    return quicPlane == null ? Optional.empty() : Optional.of(quicPlane.endpoint());
  }

  private MetricsHttpServer startMetrics() {
    try {
      MetricsHttpServer server =
          new MetricsHttpServer(config.listen().metrics(), registry, ready::get);
      server.start();
      started.push(server);
      return server;
    } catch (IOException e) {
      throw new AgentStartException("metrics", config.listen().metrics().toString(), e);
    }
  }

  private Optional<ClusterKey> loadClusterKey() {
    Optional<ClusterKey> key = config.security().clusterKeyFile().map(ClusterKey::load);
    config.security().clusterKeyFile().ifPresent(MeshAgent::warnIfReadableByOthers);
    if (key.isEmpty()) {
      LOG.warn("security.cluster-key-file is not set: gossip records are NOT authenticated; "
          + "any process that reaches {} can publish records", config.listen().gossip());
    }
    return key;
  }

  private GossipAgent startGossip(CapabilityRecord record, Optional<ClusterKey> key) {
    GossipAgent agent =
        GossipAgent.builder()
            .listen(config.listen().gossip())
            .seeds(config.gossip().seeds())
            .tuning(config.gossip().tuning())
            .record(record)
            .clusterKey(key)
            .meterRegistry(registry)
            .clock(clock)
            .build();
    try {
      agent.start().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      agent.leave(Duration.ofSeconds(1));
      throw new AgentStartException("gossip", config.listen().gossip().toString(), rootCause(e));
    }
    started.push(() -> agent.leave(Duration.ofSeconds(2)));
    return agent;
  }

  private SignalView startSignalView(Optional<ClusterKey> clusterKey, SignalTimer timer) {
    LocalSignalView local =
        new LocalSignalView(config.node().id(), runtimeMonitor, gpuReadings, clock);
    if (!config.node().roles().contains(Role.ROUTER)) {
      return local;
    }
    AgentChannels channels = new AgentChannels(peerCredentials);
    started.push(channels);
    SignalCollector collector = SignalCollector.builder()
        .selfId(config.node().id())
        .fleet(gossip)
        .local(local)
        .channels(channels::channel)
        .agentToken(clusterKey.map(TokenRegistry::agentToken))
        .heartbeat(config.router().signalHeartbeat())
        .timer(timer)
        .clock(clock)
        .meterRegistry(registry)
        .build();
    collector.start();
    started.push(collector);
    signalCollector = collector;
    LOG.info("router: following the fleet's load signals (heartbeat {} ms, stale after {} ms)",
        config.router().signalHeartbeat().toMillis(), config.router().staleAfter().toMillis());
    return collector;
  }

  private RouterPlane newRouterPlane() {
    RoutingTableFeed table = new RoutingTableFeed(storeView);
    started.push(table);
    RouterConfig router = config.router();
    SignalView signals = deferredSignals;
    HostPort listen = config.listen().router();
    return new RouterPlane(config, gossip, gossip::self, signals, table,
        new RouterSettings(router.staleAfter(),
            router.dropStale() ? StalePolicy.DROP : StalePolicy.PENALIZE),
        new IngressSettings(new InetSocketAddress(listen.host(), listen.port()),
            router.maxAttempts(), IngressSettings.DEFAULT_CONNECT_TIMEOUT, router.drainTimeout(),
            IngressSettings.DEFAULT_MAX_REQUEST_BYTES),
        registry, tracing.tracer());
  }

  /**
   * Negotiates the stage links of placements whose upstream stage this agent hosts and writes
   * their status into the store; marks links of dead ends DOWN (see {@link
   * PlacementLinkReconciler}). Started once the gRPC server answers, since the peer it
   * negotiates with answers on its own.
   */
  private void startLinkReconciler() {
    LinkGauges gauges = fabricPlane.metrics().links();
    linkReconciler = new PlacementLinkReconciler(config.node().id(), LinkSettings.defaults(),
        storeView, gossip, policyPlane.placementWriter(),
        (link, up, down) -> fabricPlane.negotiateLink(link.label(), link.upstreamGpus(), down,
            link.downstreamGpus()),
        clock, new PlacementLinkReconciler.LinkObserver() {
          @Override
          public void onStatus(LinkRef link, LinkStatus status) {
            gauges.update(link.placement(), link.fromStage(), link.toStage(), status);
          }

          @Override
          public void retainPlacements(java.util.Set<String> placements) {
            gauges.retainPlacements(placements);
          }
        });
    linkReconciler.start();
    started.push(linkReconciler);
  }

  private FabricPlane newFabricPlane(Optional<ClusterKey> clusterKey) {
    List<String> order = config.fabric().order();
    if (!order.isEmpty() && order.contains(TransportOrder.QUIC)
        && !order.getLast().equals(TransportOrder.QUIC)) {
      LOG.warn("fabric.order {} lists quic before other groups: quic is always tried last", order);
    }
    TransportNegotiator negotiator = TransportNegotiator.builder()
        .order(order)
        .transports(transports != null ? transports
            : BuiltInTransports.forConfig(config, Optional.ofNullable(quicPlane)))
        .clock(clock)
        .build();
    if (negotiator.hasTransports()) {
      LOG.info("fabric: stage transports {}", negotiator.availableGroups());
    } else {
      LOG.info("fabric: no stage transport: {}", noTransportReason);
    }
    AgentChannels channels = new AgentChannels(peerCredentials);
    started.push(channels);
    FabricPlane plane = FabricPlane.builder()
        .self(gossip::self)
        .fleet(gossip)
        .negotiator(negotiator)
        .channels(channels::channel)
        .agentToken(clusterKey.map(TokenRegistry::agentToken))
        .metrics(new FabricMetrics(registry))
        .noTransportReason(noTransportReason)
        .build();
    started.push(plane);
    return plane;
  }

  private Server startGrpc(Optional<TokenRegistry> tokens, PolicyPlane policyPlane,
      SignalPublisher signals) {
    var listen = config.listen().grpc();
    if (tokens.isEmpty()) {
      LOG.warn("security.tokens-file is not set: every gRPC call to {} is allowed", listen);
    } else {
      LOG.info("grpc: bearer tokens required ({} configured)", tokens.get().size());
      if (config.security().tls().isEmpty()) {
        LOG.warn("security.tls is not set: bearer tokens cross the network to {} in plaintext",
            listen);
      }
    }
    HealthStatusManager health = new HealthStatusManager();
    MeshGrpcService meshService =
        new MeshGrpcService(gossip, gossip::self, gossip::rejectedRecords, clock, storeView,
            deferredSignals, config.router().staleAfter());
    LOG.info("grpc: {} on {}", GrpcTls.describe(config.security().tls()), listen);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()),
                serverCredentials)
            // Watches stay open for hours: pings find vanished peers on both sides.
            .keepAliveTime(GrpcKeepAlive.SERVER_INTERVAL.toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(GrpcKeepAlive.SERVER_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveTime(GrpcKeepAlive.SERVER_PERMITTED_INTERVAL.toNanos(),
                TimeUnit.NANOSECONDS)
            .addService(meshService)
            .addService(policyPlane.service())
            .addService(new SignalGrpcService(signals, config.router().signalHeartbeat()))
            .addService(routerPlane.service())
            .addService(new FabricGrpcService(fabricPlane, storeView, config.node().id()))
            // Interceptors run in reverse order of addition: the span covers refused calls too.
            .intercept(new ResponseWarnings())
            .intercept(new BearerAuthInterceptor(tokens))
            .intercept(new GrpcServerTracing(tracing.tracer()))
            .addService(health.getHealthService())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new AgentStartException("grpc", listen.toString(), rootCause(e));
    }
    started.push(
        () -> {
          health.enterTerminalState();
          meshService.completeWatches();
          signals.close();
          server.shutdown();
          if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(1, TimeUnit.SECONDS);
          }
        });
    return server;
  }

  private static void warnIfReadableByOthers(java.nio.file.Path keyFile) {
    var view =
        java.nio.file.Files.getFileAttributeView(
            keyFile, java.nio.file.attribute.PosixFileAttributeView.class);
    if (view == null) {
      return; // not a POSIX file system: nothing to check
    }
    try {
      var permissions = view.readAttributes().permissions();
      if (permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
          || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        LOG.warn("cluster key file {} is readable by other users (chmod 600 it)", keyFile);
      }
    } catch (IOException e) {
      LOG.debug("cannot read permissions of {}: {}", keyFile, e.toString());
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
