package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with {@code copies: N} is N models of one family, each placed as configured: a request
 * type naming the family is spread evenly over them, a decision scores one copy's workers only,
 * and the fleet's capacity is what one model on all their workers would have.
 */
class ModelCopiesTest {

  @TempDir
  Path dir;

  private SimConfig config(String model) {
    return TestConfigs.load(dir, """
        seed: 9
        duration: 20s
        workload:
          arrivals: {process: poisson, target-load: 0.5}
          types:
            - {name: llm, model: m,
               prompt-tokens: {dist: lognormal, mu: 5.0, sigma: 0.6},
               output-tokens: {dist: lognormal, mu: 4.6, sigma: 0.7}}
        fleet:
          cells: 2
          nodes: [{count: 3, profile: A100-80G, gpus: 2}]
        models:
          - %s
        """.formatted(model));
  }

  @Test
  void copiesAreModelsOfOneFamilyEachPlacedAsConfigured() {
    SimConfig c = config("{name: m, copies: 3, weights-gb: 16, kv-bytes-per-token: 131072,"
        + " placements: [{replicas: 4}]}");
    assertThat(c.models()).extracting(SimConfig.Model::name).containsExactly("m-0", "m-1", "m-2");
    assertThat(c.models()).extracting(SimConfig.Model::family).containsOnly("m");
    Scenario s = Scenario.of(c);
    for (int m = 0; m < 3; m++) {
      int[] workers = s.fleet().workersOfModel[m];
      assertThat(workers).hasSize(4);
      // Spread over the cells in turn.
      assertThat(Arrays.stream(workers).map(w -> s.fleet().cell[w]).distinct().count())
          .isEqualTo(2);
    }
  }

  @Test
  void requestsAreSpreadOverTheCopiesAndTheCapacityIsTheFleets() {
    Scenario copies = Scenario.of(config("{name: m, copies: 3, weights-gb: 16,"
        + " kv-bytes-per-token: 131072, placements: [{replicas: 4}]}"));
    Scenario single = Scenario.of(config("{name: m, weights-gb: 16,"
        + " kv-bytes-per-token: 131072, placements: [{replicas: 12}]}"));
    assertThat(copies.capacity()).isCloseTo(single.capacity(),
        org.assertj.core.data.Percentage.withPercentage(1e-9));
    Simulation.run(copies, StrategyNames.HYBRID, Simulation.Progress.NONE);
    RunResult r = Simulation.run(copies, StrategyNames.POWER_OF_TWO, Simulation.Progress.NONE);
    assertThat(r.conservationErrors()).isEmpty();
    assertThat(r.all().completed).isEqualTo(r.all().arrived).isPositive();
    // Every GPU served: the decision of a request scored its copy's workers, and the copies
    // each got about a third of the requests.
    assertThat(r.gpuUtilization()).isPositive();
  }
}
