package dev.meshd.agent.control;

import dev.meshd.raft.RaftPolicyServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The Raft gauges of a control agent ({@code meshd_raft_term}, {@code _commit_index}, {@code
 * _applied_index}, {@code _leader}), read from the server when scraped, and the snapshot count and
 * duration, fed by the server's snapshot listener. Thread-safe.
 */
public final class RaftMetrics {

  private final Counter snapshots;
  private final Timer snapshotDuration;

  public RaftMetrics(MeterRegistry registry) {
    this.snapshots = Counter.builder("meshd.raft.snapshots")
        .description("Snapshots this replica's state machine has taken")
        .register(registry);
    this.snapshotDuration = Timer.builder("meshd.raft.snapshot")
        .description("Time to write one snapshot of the policy store")
        .register(registry);
  }

  /** Called by the state machine after each snapshot it takes. */
  public Consumer<Duration> snapshotListener() {
    return duration -> {
      snapshots.increment();
      snapshotDuration.record(duration);
    };
  }

  /** Registers the gauges over {@code server}; they read -1 (or 0) while it is stopped. */
  public static void bindGauges(RaftPolicyServer server, MeterRegistry registry) {
    Gauge.builder("meshd.raft.term", server, RaftPolicyServer::term)
        .description("Current Raft term as this voter knows it")
        .register(registry);
    Gauge.builder("meshd.raft.commit.index", server, RaftPolicyServer::commitIndex)
        .description("Highest log index this voter knows to be committed")
        .register(registry);
    Gauge.builder("meshd.raft.applied.index", server, RaftPolicyServer::appliedIndex)
        .description("Highest log index applied to this voter's policy store")
        .register(registry);
    Gauge.builder("meshd.raft.leader", server, s -> s.isLeader() ? 1 : 0)
        .description("1 while this voter is the Raft leader, else 0")
        .register(registry);
  }
}
