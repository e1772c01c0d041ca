package dev.meshd.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placements, MIG slices, pipeline figures and the network. */
class FleetTest {

  @TempDir
  Path dir;

  private SimConfig config(String models) {
    return TestConfigs.load(dir, """
        workload:
          arrivals: {process: poisson, rate: 1}
          types: [{name: t, model: a, prompt-tokens: {dist: constant, value: 1},
                   output-tokens: {dist: constant, value: 1}}]
        fleet:
          cells: 3
          nodes:
            - {count: 2, profile: H100-80G, gpus: 2}
            - {count: 1, profile: A100-80G, mig-slices: 7}
        models:
        """ + models);
  }

  @Test
  void replicasSpreadOverCellsAndMigSlicesAreSmallerWorkers() {
    Fleet f = Fleet.build(config("""
          - {name: a, weights-gb: 16, placements: [{replicas: 6, profiles: [H100-80G]}]}
          - {name: b, weights-gb: 1, placements: [{replicas: 0, profiles: [A100-80G/7]}]}
        """));
    assertThat(f.workersOfModel[0]).hasSize(6);
    int[] perCell = new int[3];
    for (int w : f.workersOfModel[0]) {
      perCell[f.cell[w]]++;
      assertThat(f.profile[w]).isEqualTo("H100-80G");
    }
    assertThat(perCell).containsExactly(2, 2, 2);
    assertThat(f.workersOfModel[1]).hasSize(21); // 3 cells x 1 A100 x 7 slices
    int slice = f.workersOfModel[1][0];
    assertThat(f.profile[slice]).isEqualTo("A100-80G/7");
    assertThat(f.tokensPerS[slice]).isCloseTo(6000 / 7.0, within(1e-9));
    // Not a pipeline: the batch shares the token rate up to the request ceiling, as before.
    assertThat(f.decodeRate(slice, 1)).isEqualTo(f.requestTokensPerS[slice]);
    assertThat(f.stepLatencyS[slice]).isZero();
    assertThat(f.gpuShare[slice]).isCloseTo(1 / 7.0, within(1e-12));
    assertThat(f.name[slice]).contains("-mig");
    assertThat(f.gpuCount()).isCloseTo(6 + 3, within(1e-9));
  }

  @Test
  void pipelineStepsPayTheirLinksLatencyAndEachTokensTransfer() {
    Fleet f = Fleet.build(config("""
          - name: a
            weights-gb: 70
            placements:
              - {replicas: 3, pipeline: {stages: 2, fabric: QUIC, bandwidth-gbps: 8,
                 link-latency: 100us, activation-bytes-per-token: 16384}}
        """));
    int w = f.workersOfModel[0][0];
    assertThat(f.gpus[w]).isEqualTo(2);
    double transfer = 16384 / 1e9; // 8 Gbit/s = 1e9 bytes/s
    // Compute figures stay the profile's; the links come on top, per step and per token.
    assertThat(f.tokensPerS[w]).isEqualTo(10_000.0);
    assertThat(f.requestTokensPerS[w]).isEqualTo(150.0);
    assertThat(f.stepLatencyS[w]).isCloseTo(2 * 100e-6, within(1e-12)); // there and back
    assertThat(f.transferPerTokenS[w]).isCloseTo(transfer, within(1e-12));
    // Alone, a request pays one compute step at its ceiling, the round trip and its transfer.
    assertThat(f.decodeRate(w, 1)).isCloseTo(1 / (1 / 150.0 + 200e-6 + transfer),
        within(1e-9));
    // A full batch pays the round trip once per step and every token's transfer.
    int n = f.slots[w];
    assertThat(f.decodeRate(w, n)).isCloseTo(
        1 / (Math.max(n / 10_000.0, 1 / 150.0) + 200e-6 + n * transfer), within(1e-9));
    assertThat(f.fullBatchTokensPerS(w)).isCloseTo(n * f.decodeRate(w, n), within(1e-9));
    assertThat(f.prefillTokensPerS[w]).isCloseTo(1 / (1 / 30_000.0 + transfer), within(1e-6));
    assertThat(f.link[w].fabricClass()).isEqualTo("QUIC");
    assertThat(f.link[w].bandwidthBytesPerSecond()).isEqualTo(1e9);
    assertThat(f.link[w].rttMicros()).isEqualTo(200);
    assertThat(f.kvCapacityBytes[w]).isEqualTo((long) (160e9 * 0.9) - 70_000_000_000L);
    assertThat(f.costPerSecond[w]).isCloseTo(2 * 3.0 / 3600, within(1e-12));
  }

  @Test
  void networkDelaysFollowCoordinatesAndStayWithinTheirNoise() {
    SimConfig c = config("  - {name: a}\n");
    Network n = new Network(c.network(), 3, new SplittableRandom(4));
    assertThat(n.rttNanos(1, 1)).isEqualTo(200_000);
    assertThat(n.rttNanos(0, 1)).isEqualTo(n.rttNanos(1, 0)).isGreaterThan(200_000);
    // Triangle inequality holds for the plane distances (heights add to both sides).
    assertThat(n.rttNanos(0, 2)).isLessThanOrEqualTo(n.rttNanos(0, 1) + n.rttNanos(1, 2));
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      long d = n.oneWayNanos(0, 1, 0, r);
      assertThat(d).isBetween((long) (0.45 * n.rttNanos(0, 1)), (long) (0.55 * n.rttNanos(0, 1)));
    }
  }
}
