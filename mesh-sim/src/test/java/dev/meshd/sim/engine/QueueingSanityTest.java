package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshd.sim.report.RunResult;
import dev.meshd.sim.testing.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service model against queueing theory: one worker whose c slots each decode at the
 * request ceiling (tokens/s = c x ceiling, so a request's speed does not depend on the others),
 * exponential output lengths and Poisson arrivals is an M/M/c queue; its mean wait for a slot
 * must match Erlang C.
 */
class QueueingSanityTest {

  @TempDir
  Path dir;

  /** Erlang C: the probability that an arrival waits, for c servers at offered load a = λ/μ. */
  static double erlangC(int c, double a) {
    double sum = 0;
    double term = 1;
    for (int k = 0; k < c; k++) {
      if (k > 0) {
        term *= a / k;
      }
      sum += term;
    }
    double last = term * a / c; // a^c / c!
    double rho = a / c;
    double top = last / (1 - rho);
    return top / (sum + top);
  }

  @Test
  void meanWaitMatchesErlangC() {
    int c = 4;
    double mu = 1.0; // mean 1,000 tokens at 1,000 tokens/s
    double lambda = 3.2; // rho = 0.8
    RunResult r = Simulation.run(Scenario.of(TestConfigs.load(dir, """
        seed: 2024
        duration: 25000s
        strategies: [least_queue]
        workload:
          arrivals: {process: poisson, rate: %s}
          types: [{name: llm, model: m, prompt-tokens: {dist: constant, value: 1},
                   output-tokens: {dist: exponential, mean: 1000}, max-output-tokens: 100000}]
          tenants: {count: 1}
        fleet:
          cells: 1
          nodes: [{count: 1, profile: P}]
          profiles: [{name: P, tokens-per-s: 4000, request-tokens-per-s: 1000,
                      prefill-tokens-per-s: 1e12, concurrency: %d, vram-gb: 80}]
        models: [{name: m, kv-bytes-per-token: 0}]
        network: {intra-cell-rtt: 2us, noise: 0}
        signals: {runtime: {period: 1h}, gpu: {period: 1h}}
        """.formatted(lambda, c))), "least_queue", Simulation.Progress.NONE);
    assertThat(r.conservationErrors()).isEmpty();
    double a = lambda / mu;
    double expectedWait = erlangC(c, a) / (c * mu - lambda);
    double measured = r.all().queueWait.meanNanos() / 1e9;
    // ~80,000 customers: the estimate's standard error is ~2% at this load; rounding the
    // exponential to whole tokens shifts the mean service time by <0.1%.
    assertThat(measured).isCloseTo(expectedWait, within(0.06 * expectedWait));
    // And the mean time in system is the wait plus one mean service time.
    assertThat(r.all().endToEnd.meanNanos() / 1e9).isCloseTo(expectedWait + 1 / mu,
        within(0.04 * (expectedWait + 1 / mu)));
  }

  @Test
  void erlangCIsRightOnAKnownValue() {
    // c = 2, a = 1: C = 1/3 (a textbook value).
    assertThat(erlangC(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
  }
}
