package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.report.TypeStats;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service model on one worker, with arrivals and sizes from a tiny trace so that every
 * latency can be worked out by hand (prefill of 1 token at 10^9 tokens/s and a 2 us RTT are
 * negligible at the millisecond tolerance used).
 */
class BatchingTest {

  @TempDir
  Path dir;

  private static final String T0 = "2024-01-01 00:00:00.0000000";
  private static final double MS = 1e6;

  private RunResult run(SimConfig config) {
    RunResult r = Simulation.run(Scenario.of(config), "least_queue", Simulation.Progress.NONE);
    assertThat(r.conservationErrors()).isEmpty();
    return r;
  }

  @Test
  void theRunningBatchSharesTheDecodeRate() {
    // Two requests of 1,000 tokens at 1,000 tokens/s shared: both finish after 2 s.
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 2, vram-gb: 80",
        "kv-bytes-per-token: 0", T0 + ",1,1000", T0 + ",1,1000"));
    TypeStats all = r.all();
    assertThat(all.completed).isEqualTo(2);
    assertThat(all.endToEnd.meanNanos()).isCloseTo(2000 * MS, within(1 * MS));
    assertThat(all.endToEnd.maxNanos()).isCloseTo((long) (2000 * MS), within((long) MS));
    assertThat(all.queueWait.maxNanos()).isZero();
  }

  @Test
  void aRequestWaitsForAFreeSlotAndJoinsWhenOneIsReleased() {
    // One slot: the second request waits 1 s for the first, then decodes alone for 1 s.
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 1, vram-gb: 80",
        "kv-bytes-per-token: 0", T0 + ",1,1000", T0 + ",1,1000"));
    assertThat(r.all().endToEnd.meanNanos()).isCloseTo(1500 * MS, within(1 * MS));
    assertThat(r.all().queueWait.maxNanos()).isCloseTo((long) (1000 * MS), within((long) MS));
  }

  @Test
  void aRequestCeilingLimitsOneRequestButNotTheBatch() {
    // Ceiling 250 tokens/s each: two requests of 500 tokens run side by side in 2 s.
    RunResult r = run(TestConfigs.oneWorker(dir, "tokens-per-s: 1000, request-tokens-per-s: 250,"
        + " prefill-tokens-per-s: 1e9, concurrency: 4, vram-gb: 80",
        "kv-bytes-per-token: 0", T0 + ",1,500", T0 + ",1,500"));
    assertThat(r.all().endToEnd.meanNanos()).isCloseTo(2000 * MS, within(1 * MS));
    // Half the decode rate was in use for 2 s.
    assertThat(r.gpuUtilization() * r.makespanSeconds()).isCloseTo(1.0, within(0.01));
  }

  @Test
  void theBatchWindowHoldsArrivalsUntilItsTimerCloses() {
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 2, vram-gb: 80,"
            + " batch-window: 100ms",
        "kv-bytes-per-token: 0", T0 + ",1,1000", "2024-01-01 00:00:00.0500000,1,1000"));
    // Both admitted when the window closes at 100 ms, then share: done at 2.1 s.
    assertThat(r.all().queueWait.maxNanos()).isCloseTo((long) (100 * MS), within((long) MS));
    assertThat(r.all().endToEnd.maxNanos()).isCloseTo((long) (2100 * MS), within((long) MS));
  }

  @Test
  void prefillComesFirstAndGivesTheFirstToken() {
    // 1,000 prompt tokens at 10,000/s: first token at 100 ms, then 100 tokens at 1,000/s.
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 10000, concurrency: 2, vram-gb: 80",
        "kv-bytes-per-token: 0", T0 + ",1000,100"));
    assertThat(r.all().firstToken.maxNanos()).isCloseTo((long) (100 * MS), within((long) MS));
    assertThat(r.all().endToEnd.maxNanos()).isCloseTo((long) (200 * MS), within((long) MS));
  }

  @Test
  void kvCacheRoomLimitsTheBatchBelowItsSlots() {
    // 80 GB x 0.9 = 72 GB of KV room; 50 GB per request: one at a time despite two slots.
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 2, vram-gb: 80",
        "kv-gb-per-request: 50", T0 + ",1,1000", T0 + ",1,1000"));
    assertThat(r.all().endToEnd.meanNanos()).isCloseTo(1500 * MS, within(1 * MS));
  }

  @Test
  void aRequestThatCanNeverFitIsCountedRejected() {
    RunResult r = run(TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 2, vram-gb: 80",
        "kv-gb-per-request: 100", T0 + ",1,10", T0 + ",1,10"));
    assertThat(r.all().completed).isZero();
    assertThat(r.all().rejected[3]).isEqualTo(2); // too_large
    assertThat(r.all().slaAttainment()).isZero();
  }

  @Test
  void aFullWorkerQueueRefusesAndCounts() {
    SimConfig base = TestConfigs.oneWorker(dir,
        "tokens-per-s: 1000, prefill-tokens-per-s: 1e9, concurrency: 1, vram-gb: 80",
        "kv-bytes-per-token: 0", T0 + ",1,1000", T0 + ",1,1000", T0 + ",1,1000");
    SimConfig.Fleet f = base.fleet();
    SimConfig limited = new SimConfig(base.source(), base.seed(), base.duration(),
        base.strategies(), base.workload(), new SimConfig.Fleet(f.cells(), f.cellsPerRegion(),
            f.groups(), f.profiles(), 1), base.models(), base.router(), base.signals(),
        base.network());
    RunResult r = run(limited);
    // One runs, one waits, the third finds the queue full.
    assertThat(r.all().completed).isEqualTo(2);
    assertThat(r.all().rejected[4]).isEqualTo(1);
  }
}
