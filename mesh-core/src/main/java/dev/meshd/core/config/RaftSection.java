package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code raft:} into a {@link RaftConfig}. Stateless. */
final class RaftSection {

  static final List<String> KEYS = List.of("data-dir", "peers");

  private RaftSection() {}

  /**
   * @param configDir relative paths are resolved against it
   * @param nodeId names the default data directory, so that agents sharing a config directory
   *     never share Raft storage
   */
  static RaftConfig read(MappingReader raft, Path configDir, String nodeId) {
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
    return new RaftConfig(dataDir, peers);
  }
}
