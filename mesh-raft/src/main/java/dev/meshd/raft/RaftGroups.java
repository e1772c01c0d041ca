package dev.meshd.raft;

import dev.meshd.core.config.RaftPeer;
import java.util.List;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/** Maps the config's {@link RaftPeer}s to a Ratis group. Stateless. */
final class RaftGroups {

  private RaftGroups() {}

  static RaftGroup of(RaftGroupId id, List<RaftPeer> peers) {
    return RaftGroup.valueOf(id, peers.stream()
        .map(p -> org.apache.ratis.protocol.RaftPeer.newBuilder()
            .setId(RaftPeerId.valueOf(p.id()))
            .setAddress(p.address().toString())
            .build())
        .toList());
  }
}
