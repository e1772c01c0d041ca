package dev.meshd.agent.control;

import dev.meshd.agent.AgentStartException;
import dev.meshd.agent.auth.TokenRegistry;
import dev.meshd.agent.forward.AgentChannels;
import dev.meshd.agent.forward.ControlTargets;
import dev.meshd.agent.forward.ForwardingPolicyService;
import dev.meshd.agent.store.PlacementWriter;
import dev.meshd.agent.store.RemoteStoreSource;
import dev.meshd.agent.store.StoreSource;
import dev.meshd.agent.policy.DrainCheck;
import dev.meshd.agent.policy.PlacementCheck;
import dev.meshd.agent.policy.PolicyGrpcService;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.Role;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.raft.RaftPolicyServer;
import dev.meshd.raft.RaftPolicyStore;
import dev.meshd.raft.RaftServerSettings;
import dev.meshd.raft.ReadConsistency;
import dev.meshd.raft.StoreOptions;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's part in the policy store. On a control node: the Raft voter, its store (writes go
 * to the leader through Ratis), the seeder of a restored snapshot, Raft metrics, and {@code
 * PolicyService} over them. On any other node: {@code PolicyService} forwarding to a control
 * agent. On both, the {@link StoreSource} the agent's store view reads. {@link #close()} stops
 * what started, in reverse order, once.
 */
public final class PolicyPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyPlane.class);

  private final BindableService service;
  private final Optional<PolicyStore> localStore;
  private final StoreSource storeSource;
  private final PlacementWriter placementWriter;
  private final Deque<AutoCloseable> started;

  private PolicyPlane(BindableService service, Optional<PolicyStore> localStore,
      StoreSource storeSource, PlacementWriter placementWriter, Deque<AutoCloseable> started) {
    this.service = service;
    this.localStore = localStore;
    this.storeSource = storeSource;
    this.placementWriter = placementWriter;
    this.started = started;
  }

  /**
   * Starts the plane for this node's roles; on failure stops what it started and throws.
   *
   * @param peerCredentials how a forwarder dials control agents (TLS or plaintext, as the fleet
   *     serves)
   * @throws AgentStartException naming the Raft address when the voter cannot start
   */
  public static PolicyPlane start(AgentConfig config, FleetView fleet,
      Optional<ClusterKey> clusterKey, ChannelCredentials peerCredentials,
      MeterRegistry registry, Clock clock) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      return config.node().roles().contains(Role.CONTROL)
          ? startVoter(config, fleet, registry, clock, started)
          : startForwarder(config, fleet, clusterKey, peerCredentials, clock, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static PolicyPlane startVoter(AgentConfig config, FleetView fleet,
      MeterRegistry registry, Clock clock, Deque<AutoCloseable> started) {
    RaftMetrics metrics = new RaftMetrics(registry);
    RaftPolicyServer server = RaftPolicyServer.builder()
        .nodeId(config.node().id())
        .config(config.raft())
        // Raft between the voters follows the agent's gRPC: TLS (mTLS with a CA) or plaintext.
        .tls(config.security().tls())
        .settings(RaftServerSettings.defaults()
            .withSnapshotThreshold(config.raft().snapshotThreshold()))
        .snapshotListener(metrics.snapshotListener())
        .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      throw new AgentStartException("raft", config.listen().raft().toString(), e);
    }
    started.push(server);
    RaftMetrics.bindGauges(server, registry);
    RaftPolicyStore store = server.newStore(StoreOptions.defaults());
    started.push(store);
    RaftPolicyStore localReads = server.newStore(
        StoreOptions.defaults().withReadConsistency(ReadConsistency.SERIALIZABLE));
    started.push(localReads);
    StoreSeeder seeder = new StoreSeeder(config.raft().dataDir(), store);
    seeder.start();
    started.push(seeder);
    PolicyStore metered = new MeteredPolicyStore(store, registry);
    LOG.info("policy store: voter {} of {} peers, data in {}", config.node().id(),
        config.raft().peers().size(), config.raft().dataDir());
    PolicyGrpcService service = new PolicyGrpcService(metered, localReads,
        new RaftClusterAdmin(server), new PlacementCheck(fleet)::warnings,
        new DrainCheck(fleet)::warnings, clock);
    // The store view lists and watches this replica, as serializable reads do.
    return new PolicyPlane(service, Optional.of(metered), StoreSource.of(localReads),
        PlacementWriter.of(metered), started);
  }

  private static PolicyPlane startForwarder(AgentConfig config, FleetView fleet,
      Optional<ClusterKey> clusterKey, ChannelCredentials peerCredentials, Clock clock,
      Deque<AutoCloseable> started) {
    AgentChannels channels = new AgentChannels(peerCredentials);
    started.push(channels);
    ControlTargets targets = new ControlTargets(fleet, config.node().id(), clock);
    Optional<String> agentToken = clusterKey.map(TokenRegistry::agentToken);
    ForwardingPolicyService forwarder = new ForwardingPolicyService(config.node().id(),
        targets, channels, agentToken);
    LOG.info("policy store: not a control node; PolicyService calls go to a control agent");
    RemoteStoreSource remote =
        RemoteStoreSource.forControlTargets(targets, channels, agentToken, config.node().id());
    return new PolicyPlane(forwarder, Optional.empty(), remote, remote::putPlacement, started);
  }

  /** {@code meshd.v1.PolicyService} for the gRPC server. */
  public BindableService service() {
    return service;
  }

  /**
   * Where this agent's store view reads the store: its own replica on a control node, a control
   * agent elsewhere. Usable until {@link #close()}.
   */
  public StoreSource storeSource() {
    return storeSource;
  }

  /** How this agent writes placements itself (link statuses): locally or via a control agent. */
  public PlacementWriter placementWriter() {
    return placementWriter;
  }

  /** This node's replica-backed store on a control node; empty elsewhere. */
  public Optional<PolicyStore> localStore() {
    return localStore;
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    while (!started.isEmpty()) {
      closeQuietly(started.pop());
    }
  }

  private static void closeQuietly(AutoCloseable component) {
    try {
      component.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
    }
  }
}
