package dev.meshd.raft;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.policy.StoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;

/**
 * Status and membership of the group, for one voter: asks every peer of the current
 * configuration for its own view, and changes the configuration through Ratis. Blocking Ratis
 * calls run on virtual threads; every call is bounded by its timeout. Thread-safe.
 */
final class RaftGroupAdmin implements AutoCloseable {

  private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final String selfId;
  private final RaftGroup group;
  private final Supplier<Optional<RaftServer.Division>> division;
  private final Parameters parameters;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("raft-admin-", 0).factory());

  RaftGroupAdmin(String selfId, RaftGroup group,
      Supplier<Optional<RaftServer.Division>> division, Parameters parameters) {
    this.selfId = selfId;
    this.group = group;
    this.division = division;
    this.parameters = parameters;
  }

  CompletableFuture<GroupStatus> status(Duration timeout) {
    RaftConfiguration conf;
    try {
      conf = configuration();
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
    // A client over the current configuration (peers added since start included); one attempt
    // per question: a peer that is down is reported, not retried.
    RaftClient client = client(conf.getAllPeers(), timeout, 1);
    List<CompletableFuture<PeerStatus>> answers = new ArrayList<>();
    for (RaftPeer peer : conf.getCurrentPeers()) {
      answers.add(ask(client, peer, true, timeout));
    }
    for (RaftPeer peer : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
      answers.add(ask(client, peer, false, timeout));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, error) -> closeQuietly(client))
        .thenApply(ignored -> summarize(answers.stream().map(CompletableFuture::join).toList()));
  }

  CompletableFuture<GroupStatus> addPeer(String id, HostPort address, Duration timeout) {
    try {
      checkPeerId(id);
      RaftConfiguration conf = configuration();
      List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
      for (RaftPeer peer : conf.getAllPeers()) {
        if (peer.getId().toString().equals(id)) {
          throw new MembershipException("peer \"" + id + "\" is already a member (expected: "
              + "a new id; members " + ids(conf.getAllPeers()) + ")");
        }
        if (peer.getAddress().equals(address.toString())) {
          throw new MembershipException("address " + address + " is already used by peer \""
              + peer.getId() + "\" (expected: the new peer's own Raft address)");
        }
      }
      voters.add(RaftPeer.newBuilder().setId(RaftPeerId.valueOf(id))
          .setAddress(address.toString()).build());
      return change(voters, List.copyOf(conf.getCurrentPeers(RaftPeerRole.LISTENER)), timeout);
    } catch (MembershipException | StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  CompletableFuture<GroupStatus> removePeer(String id, Duration timeout) {
    try {
      checkPeerId(id);
      RaftConfiguration conf = configuration();
      List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
      List<RaftPeer> listeners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
      boolean removed = voters.removeIf(p -> p.getId().toString().equals(id))
          | listeners.removeIf(p -> p.getId().toString().equals(id));
      if (!removed) {
        throw new MembershipException("peer \"" + id + "\" is not a member (expected: one of "
            + ids(conf.getAllPeers()) + ")");
      }
      if (voters.isEmpty()) {
        throw new MembershipException("peer \"" + id + "\" is the last voter (expected: a "
            + "group keeps at least one voter)");
      }
      return change(voters, listeners, timeout);
    } catch (MembershipException | StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<GroupStatus> change(List<RaftPeer> voters, List<RaftPeer> listeners,
      Duration timeout) {
    return CompletableFuture.supplyAsync(() -> {
      // A client per change: its request may wait while Ratis brings a new peer up to date.
      List<RaftPeer> all = new ArrayList<>(voters);
      all.addAll(listeners);
      try (RaftClient client = client(all, timeout, 1, knownLeader())) {
        RaftClientReply reply = client.admin().setConfiguration(voters, listeners);
        if (!reply.isSuccess()) {
          throw new StoreUnavailableException("membership change refused by the group: "
              + reply.getException(), reply.getException());
        }
        return reply;
      } catch (IOException e) {
        throw new StoreUnavailableException("membership change failed: " + e.getMessage(), e);
      }
    }, executor)
        .orTimeout(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e, timeout)))
        .thenCompose(reply -> status(Duration.ofSeconds(2)));
  }

  private CompletableFuture<PeerStatus> ask(RaftClient client, RaftPeer peer, boolean voter,
      Duration timeout) {
    String id = peer.getId().toString();
    return CompletableFuture.supplyAsync(() -> {
      try {
        return client.getGroupManagementApi(peer.getId()).info(group.getGroupId());
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, executor)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(info -> answered(peer, voter, info))
        .exceptionally(e -> new PeerStatus(id, peer.getAddress(), PeerRole.UNREACHABLE, voter,
            -1, -1, -1, Optional.of(describe(e))));
  }

  private static PeerStatus answered(RaftPeer peer, boolean voter, GroupInfoReply info) {
    RoleInfoProto role = info.getRoleInfoProto();
    return new PeerStatus(peer.getId().toString(), peer.getAddress(), role(role.getRole()),
        voter, info.getLogInfoProto().getCommitted().getIndex(),
        info.getLogInfoProto().getApplied().getIndex(), -1, Optional.empty());
  }

  private GroupStatus summarize(List<PeerStatus> peers) {
    Optional<PeerStatus> leader =
        peers.stream().filter(p -> p.role() == PeerRole.LEADER).findFirst();
    long leaderCommit = leader.map(PeerStatus::commitIndex).orElse(-1L);
    List<PeerStatus> withLag = peers.stream()
        .map(p -> p.withLag(leaderCommit < 0 || p.appliedIndex() < 0
            ? -1 : Math.max(0, leaderCommit - p.appliedIndex())))
        .sorted(Comparator.comparing(PeerStatus::id))
        .toList();
    Optional<String> leaderId = leader.map(PeerStatus::id)
        .or(() -> division.get().map(d -> d.getInfo().getLeaderId()).map(RaftPeerId::toString));
    long term = division.get().map(d -> d.getInfo().getCurrentTerm()).orElse(-1L);
    return new GroupStatus(selfId, leaderId, term, withLag);
  }

  private RaftConfiguration configuration() {
    return division.get().map(RaftServer.Division::getRaftConf)
        .orElseThrow(() -> new StoreUnavailableException(
            "raft server " + selfId + " is not running", null));
  }

  private RaftClient client(Collection<RaftPeer> peers, Duration requestTimeout, int attempts) {
    return client(peers, requestTimeout, attempts, Optional.empty());
  }

  /**
   * The leader this voter knows of, if any. A membership change goes to it first: otherwise the
   * client starts with whichever peer its group lists first, which may be the very peer being
   * added, and a single attempt ends on that peer's "not leader" (a voter added right after an
   * election failed so, every time).
   */
  private Optional<RaftPeerId> knownLeader() {
    return division.get().map(d -> d.getInfo().getLeaderId());
  }

  private RaftClient client(Collection<RaftPeer> peers, Duration requestTimeout, int attempts,
      Optional<RaftPeerId> leader) {
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
        TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
    RaftClient.Builder builder = RaftClient.newBuilder();
    leader.ifPresent(builder::setLeaderId);
    return builder
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), peers))
        .setProperties(properties)
        // The server's own parameters: its TLS, if any, is how the other voters are dialled.
        .setParameters(parameters)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build();
  }

  private static void checkPeerId(String id) {
    if (id == null || !PEER_ID.matcher(id).matches()) {
      throw new MembershipException("peer id \"" + id + "\" (expected: a node id: letters, "
          + "digits, '.', '_', '-')");
    }
  }

  private static PeerRole role(RaftPeerRole role) {
    return switch (role) {
      case LEADER -> PeerRole.LEADER;
      case CANDIDATE -> PeerRole.CANDIDATE;
      case LISTENER -> PeerRole.LISTENER;
      default -> PeerRole.FOLLOWER;
    };
  }

  private static List<String> ids(Collection<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).sorted().toList();
  }

  private static Throwable unavailable(Throwable e, Duration timeout) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof StoreUnavailableException) {
      return cause;
    }
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return new StoreUnavailableException("membership change: no answer within " + timeout,
          cause);
    }
    return new StoreUnavailableException("membership change failed: " + cause, cause);
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof java.util.concurrent.TimeoutException
        ? "no answer" : String.valueOf(cause.getMessage());
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // Closing channels that are already gone: nothing to do.
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
