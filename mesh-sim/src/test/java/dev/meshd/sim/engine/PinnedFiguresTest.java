package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.report.TypeStats;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins one small scenario's figures, per strategy, for a fixed seed: completed and rejected
 * requests and the end-to-end latency's p50, p99 and mean to the microsecond. Any change to a
 * strategy in mesh-router (the simulator runs the production code), to the engine, the service
 * model, the signals or the workload's random streams shows up here, on purpose: the router and
 * the simulator stay honest with each other only if such a change is noticed.
 *
 * <p>To update it intentionally: run this test, copy the "actual" block of the failure into
 * {@link #EXPECTED}, and say in the commit message which change moved the figures and why that
 * is expected (a strategy change should move only that strategy's line, unless it shares code).
 * The figures below were first produced by the engine that scheduled one delivery event per
 * signal publication per router (before the routers resolved deliveries lazily) and are
 * reproduced exactly by the lazy one.
 */
class PinnedFiguresTest {

  private static final String CONFIG = """
      seed: 2024
      duration: 10s
      workload:
        arrivals: {process: poisson, target-load: 0.7}
        types:
          - {name: llm, model: m,
             prompt-tokens: {dist: lognormal, mu: 6.0, sigma: 0.8},
             output-tokens: {dist: lognormal, mu: 4.8, sigma: 0.8}}
        tenants: {count: 10, zipf-s: 1.1}
      fleet:
        cells: 3
        nodes: [{count: 2, profile: H100-80G}, {count: 2, profile: L40S-48G}]
      models:
        - {name: m, weights-gb: 16, kv-bytes-per-token: 131072}
      signals:
        runtime: {period: 250ms, intra-cell-delay: [1ms, 5ms], inter-cell-delay: [20ms, 200ms]}
      """;

  private static final String EXPECTED = """
      round_robin completed=1551 rejected=0 p50=3347054us p99=21810380us mean=4968430us
      least_queue completed=1551 rejected=0 p50=2009071us p99=17146314us mean=3368605us
      power_of_two completed=1551 rejected=0 p50=1858076us p99=15535702us mean=3052020us
      heuristic completed=1551 rejected=0 p50=2826960us p99=18454937us mean=4219104us
      fabric_aware completed=1551 rejected=0 p50=2726297us p99=16206790us mean=3755167us
      hybrid completed=1551 rejected=0 p50=1656750us p99=12784238us mean=2572511us
      """;

  @TempDir
  Path dir;

  @Test
  void aSmallScenariosFiguresPerStrategyAreUnchanged() {
    Scenario scenario = Scenario.of(TestConfigs.load(dir, CONFIG));
    StringBuilder actual = new StringBuilder();
    for (String strategy : StrategyNames.ALL) {
      RunResult r = Simulation.run(scenario, strategy, Simulation.Progress.NONE);
      TypeStats all = r.all();
      actual.append(strategy).append(" completed=").append(all.completed)
          .append(" rejected=").append(all.rejectedTotal())
          .append(" p50=").append(all.endToEnd.quantileNanos(0.5) / 1000).append("us")
          .append(" p99=").append(all.endToEnd.quantileNanos(0.99) / 1000).append("us")
          .append(" mean=").append((long) (all.endToEnd.meanNanos() / 1000)).append("us")
          .append('\n');
    }
    assertThat(actual.toString()).as("actual").isEqualTo(EXPECTED);
  }
}
