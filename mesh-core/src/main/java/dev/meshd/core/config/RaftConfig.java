package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code raft:} the policy store's Raft group (used by agents with role {@code control}).
 *
 * @param dataDir storage directory, resolved against the config file's directory; default
 *     {@code ./data/<node id>}
 * @param peers the voters, {@code id@host:port}
 */
public record RaftConfig(Path dataDir, List<RaftPeer> peers) {
  public RaftConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    peers = peers == null ? List.of() : List.copyOf(peers);
  }
}
