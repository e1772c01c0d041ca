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
 * @param snapshotThreshold applied writes after which a voter snapshots its store and purges the
 *     log before it; default {@link #DEFAULT_SNAPSHOT_THRESHOLD}
 */
public record RaftConfig(Path dataDir, List<RaftPeer> peers, long snapshotThreshold) {

  /**
   * Policy writes are rare (operators, link negotiation): 10,000 keeps a restart's log replay
   * short while snapshots stay infrequent.
   */
  public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

  public RaftConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    peers = peers == null ? List.of() : List.copyOf(peers);
    if (snapshotThreshold < 1) {
      throw new IllegalArgumentException(
          "snapshotThreshold: " + snapshotThreshold + " (expected: >= 1)");
    }
  }

  public RaftConfig(Path dataDir, List<RaftPeer> peers) {
    this(dataDir, peers, DEFAULT_SNAPSHOT_THRESHOLD);
  }
}
