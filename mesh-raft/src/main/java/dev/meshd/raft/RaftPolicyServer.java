package dev.meshd.raft;

import dev.meshd.core.config.RaftConfig;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.raft.internal.RatisTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voter of the policy store's Raft group: a Ratis server with a {@link PolicyStateMachine},
 * its log and snapshots in the configured data directory, talking gRPC on its peer address:
 * plaintext, or TLS (mTLS with a CA) when built with {@link Builder#tls}, in which case its
 * clients ({@link #newStore}, status, membership) dial the group with the same TLS.
 *
 * <p>Lifecycle: {@link #start()} recovers the storage (formats it only when empty, never wipes
 * it) and joins the group; {@link #close()} stops it; both safe to call twice. Thread-safe.
 */
public final class RaftPolicyServer implements AutoCloseable {

  /** All meshes use one group id: a node belongs to exactly one policy store. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("meshd-policy-store".getBytes(
          StandardCharsets.UTF_8)));

  private static final Logger LOG = LoggerFactory.getLogger(RaftPolicyServer.class);

  private final RaftPeer self;
  private final RaftGroup group;
  private final Path dataDir;
  private final RaftServerSettings settings;
  private final Optional<TlsConfig> tls;
  private final PolicyStateMachine stateMachine;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile RaftServer server;
  private volatile RaftGroupAdmin admin;
  private volatile Parameters parameters;

  private RaftPolicyServer(Builder b) {
    this.self = b.peers.stream().filter(p -> p.id().equals(b.nodeId)).findFirst().orElseThrow();
    this.group = RaftGroups.of(GROUP_ID, b.peers);
    this.dataDir = b.dataDir;
    this.settings = b.settings;
    this.tls = b.tls;
    this.stateMachine = new PolicyStateMachine(settings.historyLimit(), b.snapshotListener);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Recovers storage, binds the Raft port and joins the group. */
  public void start() throws IOException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    Files.createDirectories(dataDir);
    // Reads the TLS files once; a bad one fails here, naming its config key.
    Parameters p = RatisTls.voterParameters(tls, this::voterHosts);
    RaftProperties properties = settings.toProperties(self.address(), dataDir);
    RaftServer s = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(self.id()))
        .setGroup(group)
        .setProperties(properties)
        .setParameters(p)
        .setStateMachine(stateMachine)
        // RECOVER keeps what is on disk; Ratis formats the directory only when it is empty.
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    server = s;
    // Ratis ends the JVM (System.exit) when its gRPC server cannot bind; an agent must instead
    // fail its start with a message naming the address. With exits disabled, Ratis throws.
    ExitUtils.disableSystemExit();
    try {
      s.start();
    } catch (ExitUtils.ExitException e) {
      server = null;
      closeQuietly(s);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("raft: cannot listen on " + self.address() + " (listen.raft): "
          + rootMessage(cause), cause);
    }
    parameters = p;
    admin = new RaftGroupAdmin(self.id(), group, this::division, p);
    LOG.info("raft: {} started on {} ({}; data {}, peers {})", self.id(), self.address(),
        RatisTls.describe(tls), dataDir, group.getPeers().size());
  }

  public String nodeId() {
    return self.id();
  }

  public RaftGroup group() {
    return group;
  }

  public RaftServerSettings settings() {
    return settings;
  }

  /** This voter's replica of the store. */
  public PolicyStateMachine stateMachine() {
    return stateMachine;
  }

  /** True while this voter leads the group. */
  public boolean isLeader() {
    return division().map(d -> d.getInfo().isLeader()).orElse(false);
  }

  /** The leader this voter knows of, if any. */
  public Optional<String> leaderId() {
    return division()
        .map(d -> d.getInfo().getLeaderId())
        .map(RaftPeerId::toString);
  }

  /** Index of the last entry this voter applied, -1 before the first. */
  public long appliedIndex() {
    return division().map(d -> d.getInfo().getLastAppliedIndex()).orElse(-1L);
  }

  /**
   * The first index still in this voter's log; past the last applied index of a follower that
   * was away, that follower can only catch up by installing a snapshot.
   */
  public long logStartIndex() {
    return division().map(d -> d.getRaftLog().getStartIndex()).orElse(-1L);
  }

  /** The current term as this voter knows it; -1 while stopped. */
  public long term() {
    return division().map(d -> d.getInfo().getCurrentTerm()).orElse(-1L);
  }

  /** The highest log index this voter knows to be committed; -1 while stopped. */
  public long commitIndex() {
    return division().map(d -> d.getRaftLog().getLastCommittedIndex()).orElse(-1L);
  }

  /**
   * The group as each peer of the current configuration reports itself, each asked in parallel
   * and bounded by {@code timeout}; a peer that does not answer is UNREACHABLE.
   */
  public CompletableFuture<GroupStatus> groupStatus(Duration timeout) {
    return admin().thenCompose(a -> a.status(timeout));
  }

  /**
   * Adds a voter. Start the new node first, with {@code raft.peers} listing the new set (the old
   * voters and itself): Ratis brings it up to date (log or snapshot) before committing the new
   * configuration. Fails with {@link MembershipException} for a duplicate id or address, and
   * with {@code StoreUnavailableException} when the group cannot make the change in time.
   */
  public CompletableFuture<GroupStatus> addPeer(String id, HostPort address, Duration timeout) {
    return admin().thenCompose(a -> a.addPeer(id, address, timeout));
  }

  /**
   * Removes a peer; {@link MembershipException} for an unknown id or the last voter. Stop the
   * removed node afterwards.
   */
  public CompletableFuture<GroupStatus> removePeer(String id, Duration timeout) {
    return admin().thenCompose(a -> a.removePeer(id, timeout));
  }

  /**
   * A consistent copy of this replica's store, taken under its lock: works without quorum, which
   * is when it is needed most. It reflects what this replica has applied, which may trail the
   * leader.
   */
  public StoreExport export() {
    return stateMachine.export();
  }

  private CompletableFuture<RaftGroupAdmin> admin() {
    RaftGroupAdmin a = admin;
    return a == null || closed.get()
        ? CompletableFuture.failedFuture(
            new StoreUnavailableException("raft server " + self.id() + " is not running", null))
        : CompletableFuture.completedFuture(a);
  }

  /** A store whose writes go through the group and whose local reads and watches use this voter. */
  public RaftPolicyStore newStore(StoreOptions options) {
    Parameters p = parameters;
    if (server == null || p == null) {
      throw new IllegalStateException("not started");
    }
    return new RaftPolicyStore(group, stateMachine, options, p);
  }

  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RaftGroupAdmin a = admin;
    if (a != null) {
      a.close();
    }
    RaftServer s = server;
    if (s != null) {
      s.close();
      LOG.info("raft: {} stopped", self.id());
    }
  }

  private void closeQuietly(RaftServer s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("raft: closing {} after a failed start: {}", self.id(), e.toString());
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * The hosts of the group's voters (and listeners) in the configuration this voter has now,
   * the old and new sets both during a change; the configured group before the server runs.
   * Only voters may connect to the Raft port under mTLS ({@code VoterCertificateTrust}).
   */
  private Set<String> voterHosts() {
    Collection<org.apache.ratis.protocol.RaftPeer> peers = division()
        .map(d -> {
          RaftConfiguration conf = d.getRaftConf();
          List<org.apache.ratis.protocol.RaftPeer> all =
              new ArrayList<>(conf.getAllPeers(RaftPeerRole.FOLLOWER));
          all.addAll(conf.getAllPeers(RaftPeerRole.LISTENER));
          return (Collection<org.apache.ratis.protocol.RaftPeer>) all;
        })
        .orElseGet(group::getPeers);
    Set<String> hosts = new HashSet<>();
    for (org.apache.ratis.protocol.RaftPeer peer : peers) {
      try {
        hosts.add(HostPort.parse(peer.getAddress()).host());
      } catch (IllegalArgumentException e) {
        // Addresses come from raft.peers and raft add-peer, both checked; nothing to trust here.
        LOG.debug("raft: peer {} has an unreadable address {}", peer.getId(), peer.getAddress());
      }
    }
    return hosts;
  }

  private Optional<RaftServer.Division> division() {
    RaftServer s = server;
    if (s == null || closed.get()) {
      return Optional.empty();
    }
    try {
      return Optional.of(s.getDivision(GROUP_ID));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Collects the server's parts; {@link #build()} names what is missing. */
  public static final class Builder {
    private String nodeId;
    private final List<RaftPeer> peers = new ArrayList<>();
    private Path dataDir;
    private RaftServerSettings settings = RaftServerSettings.defaults();
    private Optional<TlsConfig> tls = Optional.empty();
    private Consumer<Duration> snapshotListener = duration -> {};

    private Builder() {}

    /** Told the duration of every snapshot this voter takes (for metrics); must not block. */
    public Builder snapshotListener(Consumer<Duration> listener) {
      this.snapshotListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder peers(List<RaftPeer> peers) {
      this.peers.clear();
      this.peers.addAll(peers);
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Takes the data dir and peers of the agent's {@code raft:} section. */
    public Builder config(RaftConfig config) {
      return dataDir(config.dataDir()).peers(config.peers());
    }

    public Builder settings(RaftServerSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * The agent's {@code security.tls}: empty (the default) keeps Raft plaintext; set, the Raft
     * port serves TLS with this certificate and dials the other voters with TLS, and with a CA
     * both sides require a certificate issued by it (mTLS). Every voter of a group must agree.
     */
    public Builder tls(Optional<TlsConfig> tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    public RaftPolicyServer build() {
      List<String> missing = new ArrayList<>();
      if (nodeId == null || nodeId.isBlank()) {
        missing.add("nodeId");
      }
      if (peers.isEmpty()) {
        missing.add("peers");
      }
      if (dataDir == null) {
        missing.add("dataDir");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("raft server: missing " + String.join(", ", missing));
      }
      if (peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
        throw new IllegalStateException("raft server: node id \"" + nodeId
            + "\" is not among the peers " + peers + " (expected: one of them)");
      }
      if (peers.stream().map(RaftPeer::id).distinct().count() != peers.size()) {
        throw new IllegalStateException("raft server: peers " + peers
            + " (expected: each id once)");
      }
      return new RaftPolicyServer(this);
    }
  }
}
