package dev.meshd.agent.control;

import com.google.protobuf.ByteString;
import dev.meshd.agent.policy.ClusterAdminService;
import dev.meshd.core.config.HostPort;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.PeerRole;
import dev.meshd.proto.v1.RaftPeer;
import dev.meshd.proto.v1.SnapshotChunk;
import dev.meshd.raft.GroupStatus;
import dev.meshd.raft.MembershipException;
import dev.meshd.raft.PeerStatus;
import dev.meshd.raft.RaftPolicyServer;
import dev.meshd.raft.StoreExport;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterAdminService} of a control agent, over its own Ratis server: status as every peer
 * reports it, membership changes through Ratis, and snapshots of this replica. Thread-safe.
 */
public final class RaftClusterAdmin implements ClusterAdminService {

  /** Per-peer bound of a status query: an unreachable peer must not stall `raft status`. */
  static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
  /** Room for Ratis to bootstrap a new peer (copy the log or a snapshot) before the change. */
  static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(30);
  /** How long a snapshot waits for this replica to apply what the leader has committed. */
  static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);
  static final int CHUNK_BYTES = 1 << 20;
  private static final Duration POLL = Duration.ofMillis(20);

  private static final Logger LOG = LoggerFactory.getLogger(RaftClusterAdmin.class);

  private final RaftPolicyServer server;

  public RaftClusterAdmin(RaftPolicyServer server) {
    this.server = server;
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return server.groupStatus(STATUS_TIMEOUT).thenApply(RaftClusterAdmin::toProto);
  }

  @Override
  public CompletableFuture<ClusterStatus> addPeer(String id, String address) {
    HostPort hostPort;
    try {
      hostPort = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "address: \"" + address + "\" (expected: host:port of the new peer's Raft endpoint)"));
    }
    return membership(server.addPeer(id, hostPort, MEMBERSHIP_TIMEOUT));
  }

  @Override
  public CompletableFuture<ClusterStatus> removePeer(String id) {
    return membership(server.removePeer(id, MEMBERSHIP_TIMEOUT));
  }

  /** A change the group refuses (duplicate, unknown, last voter) is the caller's mistake. */
  private static CompletableFuture<ClusterStatus> membership(CompletableFuture<GroupStatus> change) {
    return change
        .exceptionallyCompose(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          return CompletableFuture.failedFuture(cause instanceof MembershipException
              ? Status.FAILED_PRECONDITION.withDescription(cause.getMessage()).asRuntimeException()
              : cause);
        })
        .thenApply(RaftClusterAdmin::toProto);
  }

  @Override
  public void saveSnapshot(StreamObserver<SnapshotChunk> response) {
    Thread.ofVirtual().name("snapshot-export").start(() -> {
      try {
        stream(exportCaughtUp(), response);
      } catch (RuntimeException e) {
        LOG.warn("snapshot export failed: {}", e.toString());
        response.onError(Status.INTERNAL.withDescription("snapshot export: " + e.getMessage())
            .asRuntimeException());
      }
    });
  }

  /**
   * This replica's state once it has applied what the leader had committed when asked; without
   * a leader (quorum lost: the case a snapshot is most needed for) its state as it is.
   */
  private StoreExport exportCaughtUp() {
    long target = -1;
    try {
      GroupStatus status = server.groupStatus(STATUS_TIMEOUT).join();
      target = status.leaderId()
          .flatMap(leader -> status.peers().stream().filter(p -> p.id().equals(leader))
              .findFirst())
          .map(PeerStatus::commitIndex)
          .orElse(-1L);
    } catch (CompletionException e) {
      LOG.warn("snapshot: cluster status unavailable ({}); exporting this replica as it is",
          e.getCause());
    }
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    while (target >= 0 && server.appliedIndex() < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL.toNanos());
    }
    if (target < 0) {
      LOG.warn("snapshot: no leader known; exporting this replica as it is");
    } else if (server.appliedIndex() < target) {
      LOG.warn("snapshot: replica at index {} has not caught up with commit index {} within {}",
          server.appliedIndex(), target, CATCH_UP_TIMEOUT);
    }
    return server.export();
  }

  private static void stream(StoreExport export, StreamObserver<SnapshotChunk> response) {
    byte[] data = export.json();
    String sha256 = HexFormat.of().formatHex(sha256().digest(data));
    int offset = 0;
    do {
      int length = Math.min(CHUNK_BYTES, data.length - offset);
      SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder()
          .setData(ByteString.copyFrom(data, offset, length));
      if (offset == 0) {
        chunk.setRevision(export.revision());
      }
      offset += length;
      if (offset >= data.length) {
        chunk.setSha256(sha256);
      }
      response.onNext(chunk.build());
    } while (offset < data.length);
    response.onCompleted();
  }

  static ClusterStatus toProto(GroupStatus status) {
    ClusterStatus.Builder out = ClusterStatus.newBuilder()
        .setAnsweredBy(status.answeredBy())
        .setLeaderId(status.leaderId().orElse(""))
        .setTerm(status.term());
    for (PeerStatus peer : status.peers()) {
      out.addPeers(RaftPeer.newBuilder()
          .setId(peer.id())
          .setAddress(peer.address())
          .setRole(switch (peer.role()) {
            case LEADER -> PeerRole.PEER_ROLE_LEADER;
            // A listener follows the log without voting: voter=false tells them apart.
            case FOLLOWER, LISTENER -> PeerRole.PEER_ROLE_FOLLOWER;
            case CANDIDATE -> PeerRole.PEER_ROLE_CANDIDATE;
            case UNREACHABLE -> PeerRole.PEER_ROLE_UNREACHABLE;
          })
          .setVoter(peer.voter())
          .setCommitIndex(peer.commitIndex())
          .setAppliedIndex(peer.appliedIndex())
          .setLag(peer.lag()));
    }
    return out.build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
