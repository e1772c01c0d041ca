package dev.meshd.bench;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.config.GossipProfile;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.gossip.GossipAgent;
import dev.meshd.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a capability-record change takes to reach every agent, with N gossip agents in one
 * JVM on loopback (signed records, as in production).
 *
 * <p>Usage: {@code bin/mesh-bench gossip [N] [rounds] [profile]} (defaults 3, 20, local). Prints
 * the time for all N agents to join, then per round the time from {@code publish} on a random
 * agent until every other agent has received the new record, as p50 / p90 / max.
 */
public final class GossipPropagationBench {

  private GossipPropagationBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    GossipProfile profile =
        args.length > 2 ? GossipProfile.valueOf(args[2].toUpperCase()) : GossipProfile.LOCAL;
    ClusterKey key = ClusterKey.generate(new SecureRandom());
    List<GossipAgent> agents = new ArrayList<>();
    try {
      long joinStart = System.nanoTime();
      HostPort seed = null;
      for (int i = 0; i < n; i++) {
        HostPort listen = new HostPort("127.0.0.1", FreePorts.loopback());
        GossipAgent agent =
            GossipAgent.builder()
                .listen(listen)
                .seeds(seed == null ? List.of() : List.of(seed))
                .tuning(profile.tuning())
                .record(record("n" + i, listen, 1))
                .clusterKey(Optional.of(key))
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        agent.start().get(30, TimeUnit.SECONDS);
        agents.add(agent);
        if (seed == null) {
          seed = listen;
        }
      }
      waitUntil(() -> agents.stream().allMatch(a -> a.members().size() == n),
          Duration.ofMinutes(2));
      double joinMs = (System.nanoTime() - joinStart) / 1e6;

      double[] propagationMs = new double[rounds];
      SecureRandom random = new SecureRandom();
      for (int round = 0; round < rounds; round++) {
        GossipAgent source = agents.get(random.nextInt(n));
        CapabilityRecord next = source.self().withGpus(source.self().gpus());
        long version = next.recordVersion();
        String nodeId = next.nodeId();
        CountDownLatch reached = new CountDownLatch(n - 1);
        List<dev.meshd.core.fleet.FleetView.Subscription> subs = new ArrayList<>();
        for (GossipAgent other : agents) {
          if (other == source) {
            continue;
          }
          boolean[] counted = {false};
          subs.add(other.subscribe(e -> {
            if (e.type() == FleetEvent.Type.UPDATED && e.member().nodeId().equals(nodeId)
                && e.member().record().recordVersion() >= version && !counted[0]) {
              counted[0] = true;
              reached.countDown();
            }
          }));
        }
        long start = System.nanoTime();
        source.publish(next);
        if (!reached.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("round " + round + ": change did not reach everyone");
        }
        propagationMs[round] = (System.nanoTime() - start) / 1e6;
        subs.forEach(dev.meshd.core.fleet.FleetView.Subscription::close);
      }
      Arrays.sort(propagationMs);
      System.out.printf("gossip propagation: %d agents, profile %s, %d rounds%n", n,
          profile.configName(), rounds);
      System.out.printf("  join (all agents see all %d): %.0f ms%n", n, joinMs);
      System.out.printf("  record change reaches all: p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
          percentile(propagationMs, 0.5), percentile(propagationMs, 0.9),
          propagationMs[rounds - 1]);
    } finally {
      for (GossipAgent agent : agents.reversed()) {
        agent.leave(Duration.ofSeconds(1));
      }
    }
  }

  private static double percentile(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("condition not met within " + timeout);
      }
      Thread.sleep(10);
    }
  }

  static CapabilityRecord record(String nodeId, HostPort gossip, long version) {
    List<GpuInfo> gpus = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      gpus.add(new GpuInfo(i, "GPU-" + nodeId + "-" + i, "H100-80GB", 80_000_000_000L, 0, 0.0,
          "", true, GpuSource.SIMULATED));
    }
    return new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, nodeId, "host-" + nodeId, "z1",
        "r1", Map.of(), Set.of("gpu"), "bench", version, "127.0.0.1:1", gossip.toString(),
        "127.0.0.1:2", gpus, List.of());
  }
}
