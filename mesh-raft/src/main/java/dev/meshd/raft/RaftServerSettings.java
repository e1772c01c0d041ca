package dev.meshd.raft;

import dev.meshd.core.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Tuning of a {@link RaftPolicyServer}. Immutable; {@link #defaults()} for agents, {@link
 * #fastFailover()} for in-process tests.
 *
 * @param electionTimeout the shortest election timeout; Ratis draws each one between this and
 *     twice this
 * @param snapshotThreshold applied entries after which Ratis takes a snapshot by itself
 * @param logSegmentSize bytes per closed log segment; only closed segments are purged after a
 *     snapshot
 * @param historyLimit changes kept for watches to resume from
 */
public record RaftServerSettings(
    Duration electionTimeout, long snapshotThreshold, long logSegmentSize, int historyLimit) {

  public RaftServerSettings {
    if (electionTimeout == null || electionTimeout.toMillis() < 50) {
      throw new IllegalArgumentException(
          "electionTimeout: " + electionTimeout + " (expected: >= 50ms)");
    }
    if (snapshotThreshold < 1) {
      throw new IllegalArgumentException(
          "snapshotThreshold: " + snapshotThreshold + " (expected: >= 1)");
    }
    if (logSegmentSize < 1024) {
      throw new IllegalArgumentException(
          "logSegmentSize: " + logSegmentSize + " (expected: >= 1024)");
    }
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit: " + historyLimit + " (expected: >= 1)");
    }
  }

  /**
   * For agents. A 1 s election timeout (Ratis's own default is 150 ms) because control nodes
   * share hosts with inference engines: a GC pause or a CPU-starved second must not depose a
   * healthy leader. Snapshots every 10,000 writes keep restarts short while policy writes stay
   * rare; 8 MiB segments let purging free space soon after a snapshot.
   */
  public static RaftServerSettings defaults() {
    return new RaftServerSettings(Duration.ofSeconds(1), 10_000, 8L << 20,
        PolicyStateMachine.DEFAULT_HISTORY_LIMIT);
  }

  /**
   * For in-process tests on a loaded machine: elections quick enough for failover tests, slow
   * enough not to flap; snapshots and purging after a few writes so catch-up goes through them.
   */
  public static RaftServerSettings fastFailover() {
    return new RaftServerSettings(Duration.ofMillis(400), 20, 4096, 1_000);
  }

  public RaftServerSettings withSnapshotThreshold(long threshold) {
    return new RaftServerSettings(electionTimeout, threshold, logSegmentSize, historyLimit);
  }

  public RaftServerSettings withHistoryLimit(int limit) {
    return new RaftServerSettings(electionTimeout, snapshotThreshold, logSegmentSize, limit);
  }

  /** The Ratis properties for one server bound to {@code listen} and storing in {@code dataDir}. */
  RaftProperties toProperties(HostPort listen, Path dataDir) {
    RaftProperties p = new RaftProperties();
    // Never Ratis's default of /tmp/raft-server: it is shared, and wiped on reboot.
    RaftServerConfigKeys.setStorageDir(p, List.of(dataDir.toFile()));
    GrpcConfigKeys.Server.setHost(p, listen.host());
    GrpcConfigKeys.Server.setPort(p, listen.port());
    long min = electionTimeout.toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(min, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p,
        TimeDuration.valueOf(2 * min, TimeUnit.MILLISECONDS));
    // Snapshots are off by default in Ratis; without them the log grows forever.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotThreshold);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(logSegmentSize));
    // Preallocating more than a segment would waste disk on every small test segment.
    RaftServerConfigKeys.Log.setPreallocatedSize(p,
        SizeInBytes.valueOf(Math.min(logSegmentSize, 4L << 20)));
    // ReadIndex: a read sees every write acknowledged before it, from any member.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    return p;
  }
}
