package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code raft:} into a {@link RaftConfig}. Stateless. */
final class RaftSection {

  static final List<String> KEYS = List.of("data-dir", "peers", "snapshot-threshold");

  private RaftSection() {}

  /**
   * @param configDir relative paths are resolved against it
   * @param nodeId names the default data directory, so that agents sharing a config directory
   *     never share Raft storage
   */
  static RaftConfig read(MappingReader raft, Path configDir, String nodeId) {
    return read(raft, configDir, nodeId, false, null);
  }

  /**
   * As {@link #read(MappingReader, Path, String)}; for a control node ({@code control}) also
   * checks that {@code raft.peers} names this node at the port it listens on for Raft, since a
   * voter missing from its own peer list could never join the group.
   */
  static RaftConfig read(MappingReader raft, Path configDir, String nodeId, boolean control,
      HostPort listenRaft) {
    RaftConfig config = readSection(raft, configDir, nodeId);
    if (control && !nodeId.isEmpty()) {
      ConfigValue peersValue = raft.get("peers");
      var self = config.peers().stream().filter(p -> p.id().equals(nodeId)).findFirst();
      if (self.isEmpty()) {
        peersValue.error((config.peers().isEmpty() ? "empty" : config.peers().toString())
            + " (expected: the voters, this control node among them, e.g. " + nodeId + "@"
            + (listenRaft == null ? "127.0.0.1:7071" : listenRaft) + ")");
      } else if (listenRaft != null && self.get().address().port() != listenRaft.port()) {
        peersValue.error(self.get() + " (expected: port " + listenRaft.port()
            + ", the one listen.raft binds)");
      }
    }
    return config;
  }

  private static RaftConfig readSection(MappingReader raft, Path configDir, String nodeId) {
    Path dataDir = raft.get("data-dir").file(configDir).orElseGet(
        () -> configDir.resolve("data").resolve(nodeId.isEmpty() ? "node" : nodeId)
            .toAbsolutePath().normalize());
    List<RaftPeer> peers = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ConfigValue item : raft.get("peers").list()) {
      item.parsed(RaftPeer::parse).ifPresent(peer -> {
        String first = seen.putIfAbsent(peer.id(), item.key());
        if (first != null) {
          item.error(YamlNode.quote(peer.toString())
              + " (expected: each peer id once; " + first + " has it)");
        } else {
          peers.add(peer);
        }
      });
    }
    long snapshotThreshold = raft.get("snapshot-threshold").integer(1)
        .map(Integer::longValue).orElse(RaftConfig.DEFAULT_SNAPSHOT_THRESHOLD);
    return new RaftConfig(dataDir, peers, snapshotThreshold);
  }
}
