package dev.meshd.agent.policy;

import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.SnapshotChunk;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft-group side of PolicyService: status, membership changes and snapshots. Implemented
 * over the Ratis server by the agent; a separate interface so the document RPCs can be tested
 * without a Raft group.
 */
public interface ClusterAdminService {

  CompletableFuture<ClusterStatus> status();

  CompletableFuture<ClusterStatus> addPeer(String id, String address);

  CompletableFuture<ClusterStatus> removePeer(String id);

  /** Streams a consistent copy of the store in chunks, then completes (or fails) the stream. */
  void saveSnapshot(StreamObserver<SnapshotChunk> response);
}
