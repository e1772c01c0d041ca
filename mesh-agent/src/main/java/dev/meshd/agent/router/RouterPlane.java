package dev.meshd.agent.router;

import dev.meshd.agent.AgentStartException;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.signal.SignalView;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.Router;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.router.route.RoutingTable;
import dev.meshd.router.ingress.IngressMetrics;
import dev.meshd.router.ingress.IngressServer;
import dev.meshd.router.ingress.IngressSettings;
import dev.meshd.router.strategy.Strategies;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The agent's part in routing. On a node with role {@code router}: the {@link Router} over this
 * agent's fleet view, signals and store view, {@code RouterService}, and the OpenAI-compatible
 * ingress on {@code listen.router}. On other nodes only {@code RouterService}, which says the
 * node is not a router.
 *
 * <p>The service exists from construction (the gRPC server needs it before it starts); the
 * ingress starts last, with {@link #startIngress()}, and {@link #close()} drains it first.
 */
public final class RouterPlane implements AutoCloseable {

  private final AgentConfig config;
  private final Optional<Router> router;
  private final RouterGrpcService service;
  private final OriginResolver origins;
  private final DispatchLedger ledger;
  private final MeterRegistry registry;
  private final Tracer tracer;
  private final IngressSettings ingressSettings;
  private volatile IngressServer ingress;

  public RouterPlane(AgentConfig config, FleetView fleet, Supplier<CapabilityRecord> self,
      SignalView signals, Supplier<RoutingTable> table, RouterSettings settings,
      IngressSettings ingressSettings, MeterRegistry registry, Tracer tracer) {
    this.config = config;
    this.origins = new OriginResolver(fleet, self);
    this.ledger = DispatchLedger.system();
    this.registry = registry;
    this.tracer = tracer;
    this.ingressSettings = ingressSettings;
    boolean isRouter = config.node().roles().contains(Role.ROUTER);
    // ThreadLocalRandom's shared instance draws from each calling thread's own generator: safe
    // from every request thread without contention, and seeded differently in every process.
    Strategies strategies = new Strategies(ThreadLocalRandom.current());
    this.router = isRouter
        ? Optional.of(new Router(strategies,
            new CandidateBuilder(signals, ledger, settings.staleAfter()), table,
            fleet::members, () -> settings, System::nanoTime))
        : Optional.empty();
    this.service = new RouterGrpcService(router, origins, config.node().id());
  }

  public BindableService service() {
    return service;
  }

  public Optional<Router> router() {
    return router;
  }

  /**
   * Starts the ingress on a router node; nothing on others.
   *
   * @throws AgentStartException naming {@code listen.router} when it cannot be bound
   */
  public void startIngress() {
    if (router.isEmpty()) {
      return;
    }
    try {
      ingress = IngressServer.start(ingressSettings, router.get(), origins::self, ledger,
          new IngressMetrics(registry), tracer);
    } catch (IOException e) {
      throw new AgentStartException("router", config.listen().router().toString(), e);
    }
  }

  /** The ingress's bound address; empty on a node that is not a router or before start. */
  public Optional<InetSocketAddress> ingressAddress() {
    IngressServer current = ingress;
    return current == null ? Optional.empty() : Optional.of(current.address());
  }

  /** Drains the ingress: no new requests, open ones finish within the drain timeout. */
  @Override
  public void close() {
    IngressServer current = ingress;
    if (current != null) {
      current.close();
    }
  }
}
