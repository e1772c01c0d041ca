package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.report.Reports;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.report.TypeStats;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The required properties on a busy, mixed scenario (three request types, three
 * profiles, MIG slices, a pipeline, tenants with limits, admission limits, hedging, stale
 * signals, four cells): the same seed gives identical results, and every request completes or is
 * counted rejected with every slot and byte of KV cache released.
 */
class SimulationPropertiesTest {

  @TempDir
  Path dir;

  private SimConfig busy(long seed, boolean hedging) {
    return TestConfigs.load(dir, """
        seed: %d
        duration: 20s
        workload:
          arrivals:
            process: mmpp
            target-load: 0.9
            states: [{rate: 100, mean-dwell: 3s}, {rate: 400, mean-dwell: 2s}]
          types:
            - {name: llm, model: llm, weight: 5,
               prompt-tokens: {dist: lognormal, mu: 6.0, sigma: 0.8},
               output-tokens: {dist: lognormal, mu: 4.8, sigma: 0.8}}
            - {name: vision, model: vis, weight: 2,
               prompt-tokens: {dist: uniform, min: 600, max: 1400},
               output-tokens: {dist: exponential, mean: 60}}
            - {name: asr, model: asr, weight: 2,
               prompt-tokens: {dist: constant, value: 1500},
               output-tokens: {dist: lognormal, mu: 4.5, sigma: 0.5},
               max-output-tokens: 400}
          tenants: {count: 20, zipf-s: 1.2}
        fleet:
          cells: 4
          cells-per-region: 2
          nodes:
            - {count: 2, profile: H100-80G}
            - {count: 2, profile: A100-80G}
            - {count: 2, profile: L40S-48G}
            - {count: 1, profile: A100-80G, mig-slices: 7}
        models:
          - name: llm
            weights-gb: 16
            kv-bytes-per-token: 131072
            placements:
              - {replicas: 8, profiles: [H100-80G, A100-80G]}
              - {replicas: 2, profiles: [A100-80G],
                 pipeline: {stages: 2, fabric: RDMA_IB, bandwidth-gbps: 200}}
          - {name: vis, weights-gb: 15, kv-bytes-per-token: 524288,
             placements: [{replicas: 0, profiles: [L40S-48G]}]}
          - {name: asr, weights-gb: 3, kv-bytes-per-token: 65536,
             placements: [{replicas: 0, profiles: [A100-80G/7]}]}
        router:
          admission: {max-queue-per-target: 30, max-in-flight-per-tenant: 400}
          hedging: {enabled: %s, delay: 300ms}
          stale-policy: drop
          stale-after: 1s
        signals:
          runtime: {period: 250ms, intra-cell-delay: [1ms, 5ms], inter-cell-delay: [50ms, 900ms]}
        """.formatted(seed, hedging));
  }

  @Test
  void theSameSeedGivesIdenticalResults() throws Exception {
    Scenario first = Scenario.of(busy(42, true));
    Scenario second = Scenario.of(busy(42, true));
    for (String strategy : List.of(StrategyNames.POWER_OF_TWO, StrategyNames.HYBRID)) {
      RunResult a = Simulation.run(first, strategy, Simulation.Progress.NONE);
      RunResult b = Simulation.run(second, strategy, Simulation.Progress.NONE);
      assertThat(a.events()).as(strategy).isEqualTo(b.events());
      assertThat(a.all().endToEnd).as(strategy).isEqualTo(b.all().endToEnd);
      assertThat(a.all().firstToken).isEqualTo(b.all().firstToken);
      // Everything reported but the wall clock is equal.
      assertThat(json(a)).as(strategy).isEqualTo(json(b));
    }
    RunResult other = Simulation.run(Scenario.of(busy(43, true)), StrategyNames.HYBRID,
        Simulation.Progress.NONE);
    assertThat(other.all().endToEnd).isNotEqualTo(
        Simulation.run(first, StrategyNames.HYBRID, Simulation.Progress.NONE).all().endToEnd);
  }

  @Test
  void routersThatGiveUpTheirColumnsDecideExactlyAsRoutersThatKeepThem() throws Exception {
    Scenario scenario = Scenario.of(busy(42, true));
    for (String strategy : List.of(StrategyNames.POWER_OF_TWO, StrategyNames.HYBRID)) {
      // Budget 1: every view but the last to build gives its columns up and rebuilds them from
      // the board when it next decides.
      RunResult bounded = Simulation.run(scenario, strategy, 1);
      RunResult unbounded = Simulation.run(scenario, strategy, Long.MAX_VALUE);
      assertThat(json(bounded)).as(strategy).isEqualTo(json(unbounded));
    }
  }

  private static String json(RunResult r) throws Exception {
    RunResult noWall = new RunResult(r.strategy(), r.types(), r.links(), r.all(),
        r.makespanNanos(), r.gpuUtilization(), r.vramUseMean(), r.vramUsePeak(),
        r.fleetCostPerSecond(), r.events(), r.signalDeliveries(), 0, 0, r.decisions(),
        r.offeredRate(), r.conservationErrors());
    return Reports.json("x", 1, List.of(noWall));
  }

  @Test
  void everyStrategySeesTheSameArrivals() {
    Scenario scenario = Scenario.of(busy(7, false));
    long[] arrived = null;
    for (String strategy : StrategyNames.ALL) {
      RunResult r = Simulation.run(scenario, strategy, Simulation.Progress.NONE);
      long[] perType = r.types().stream().mapToLong(t -> t.arrived).toArray();
      if (arrived == null) {
        arrived = perType;
      }
      assertThat(perType).as(strategy).isEqualTo(arrived);
      assertThat(r.all().promptTokens + r.all().outputTokens).isPositive();
    }
  }

  @Test
  void everyRequestCompletesOrIsCountedRejectedAndEveryBatchReleasesItsSlots() {
    for (boolean hedging : new boolean[] {false, true}) {
      Scenario scenario = Scenario.of(busy(11, hedging));
      for (String strategy : StrategyNames.ALL) {
        RunResult r = Simulation.run(scenario, strategy, Simulation.Progress.NONE);
        // The simulation checks at the end that every worker holds no slot, no KV byte and no
        // queued request, and that arrivals = completions + rejections per type.
        assertThat(r.conservationErrors()).as("%s hedging=%s", strategy, hedging).isEmpty();
        TypeStats all = r.all();
        assertThat(all.arrived).isPositive().isEqualTo(all.completed + all.rejectedTotal());
        for (TypeStats t : r.types()) {
          assertThat(t.arrived).as(t.type).isEqualTo(t.completed + t.rejectedTotal());
          assertThat(t.completed).as(t.type).isPositive();
        }
        if (hedging) {
          assertThat(all.hedged).as(strategy).isPositive();
          assertThat(all.hedgeWins).isBetween(0L, all.hedged);
        }
      }
    }
  }

  @Test
  void hedgesRaceAndTheLoserIsCancelledWithItsWorkCountedAsWasted() {
    RunResult r = Simulation.run(Scenario.of(busy(5, true)), StrategyNames.POWER_OF_TWO,
        Simulation.Progress.NONE);
    TypeStats all = r.all();
    assertThat(all.hedged).isPositive();
    assertThat(all.hedgeWins).isPositive().isLessThan(all.hedged);
    assertThat(all.wastedTokens).isPositive();
    assertThat(r.conservationErrors()).isEmpty();
  }

  @Test
  void thePolicyWeightsReachTheProductionStrategy() {
    SimConfig base = busy(3, false);
    SimConfig.Router rc = base.router();
    SimConfig weighted = new SimConfig(base.source(), base.seed(), base.duration(),
        base.strategies(), base.workload(), base.fleet(), base.models(),
        new SimConfig.Router(rc.staleAfter(), rc.stalePolicy(),
            java.util.Map.of("gpu_utilization", 5.0, "queue_depth", 0.0), rc.maxQueuePerTarget(),
            rc.maxInFlightPerTenant(), rc.hedging(), rc.hedgeDelay(), rc.rebuildInterval()),
        base.signals(), base.network());
    RunResult plain = Simulation.run(Scenario.of(base), StrategyNames.HYBRID,
        Simulation.Progress.NONE);
    RunResult reweighted = Simulation.run(Scenario.of(weighted), StrategyNames.HYBRID,
        Simulation.Progress.NONE);
    assertThat(reweighted.all().arrived).isEqualTo(plain.all().arrived);
    assertThat(reweighted.all().endToEnd).isNotEqualTo(plain.all().endToEnd);
  }
}
