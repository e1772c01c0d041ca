package dev.meshd.cli.testing;

import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.PeerRole;
import dev.meshd.proto.v1.RaftPeer;

/** Raft group states as GetClusterStatus reports them. */
public final class TestClusters {

  private TestClusters() {}

  /** node2 leads; node1 follows one entry behind; node3 is unreachable; answered by node1. */
  public static ClusterStatus threeVoters() {
    return ClusterStatus.newBuilder()
        // Out of id order: the CLI sorts.
        .addPeers(peer("node3", "127.0.0.1:7271", PeerRole.PEER_ROLE_UNREACHABLE, 0, 0, 0))
        .addPeers(peer("node1", "127.0.0.1:7071", PeerRole.PEER_ROLE_FOLLOWER, 41, 41, 1))
        .addPeers(peer("node2", "127.0.0.1:7171", PeerRole.PEER_ROLE_LEADER, 42, 42, 0))
        .setLeaderId("node2")
        .setTerm(3)
        .setAnsweredBy("node1")
        .build();
  }

  private static RaftPeer peer(
      String id, String address, PeerRole role, long commit, long applied, long lag) {
    return RaftPeer.newBuilder().setId(id).setAddress(address).setRole(role).setVoter(true)
        .setCommitIndex(commit).setAppliedIndex(applied).setLag(lag).build();
  }
}
