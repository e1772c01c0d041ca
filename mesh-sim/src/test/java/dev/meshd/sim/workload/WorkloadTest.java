package dev.meshd.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Distributions, arrival processes, Zipf tenants and trace loading. */
class WorkloadTest {

  @Test
  void lognormalTokensHaveTheirMeanAndInferMeshsShape() {
    SplittableRandom r = new SplittableRandom(42);
    Distribution prompt = new Distribution.LogNormal(3.8, 0.6);
    double sum = 0;
    int n = 400_000;
    int[] sorted = new int[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = prompt.sampleTokens(r, 1, 1 << 20);
      sum += sorted[i];
    }
    java.util.Arrays.sort(sorted);
    assertThat(sum / n).isCloseTo(prompt.mean(), within(0.01 * prompt.mean()));
    assertThat((double) sorted[n / 2]).isCloseTo(Math.exp(3.8), within(1.0)); // median e^mu
  }

  @Test
  void otherDistributionsAndClamping() {
    SplittableRandom r = new SplittableRandom(1);
    assertThat(new Distribution.Constant(7).sampleTokens(r, 1, 100)).isEqualTo(7);
    assertThat(new Distribution.Constant(0).sampleTokens(r, 1, 100)).isEqualTo(1);
    assertThat(new Distribution.Constant(500).sampleTokens(r, 1, 100)).isEqualTo(100);
    double sum = 0;
    for (int i = 0; i < 200_000; i++) {
      sum += new Distribution.Exponential(50).sample(r);
    }
    assertThat(sum / 200_000).isCloseTo(50, within(0.5));
    assertThat(new Distribution.Uniform(10, 20).mean()).isEqualTo(15);
    assertThatThrownBy(() -> new Distribution.Uniform(5, 1)).hasMessageContaining("max");
  }

  @Test
  void poissonArrivalsComeAtTheirRate() {
    Arrivals a = new Arrivals.Poisson(1000).start();
    SplittableRandom r = new SplittableRandom(5);
    long t = 0;
    int n = 0;
    while ((t = a.next(r)) < 100_000_000_000L) {
      n++;
    }
    assertThat(n).isCloseTo(100_000, within(1_500));
  }

  @Test
  void mmppSpendsTimeInEachStateByItsDwellAndMatchesItsMeanRate() {
    Arrivals.Mmpp spec = new Arrivals.Mmpp(List.of(
        new Arrivals.Mmpp.State(100, Duration.ofSeconds(30)),
        new Arrivals.Mmpp.State(1000, Duration.ofSeconds(10))));
    assertThat(spec.meanRate()).isCloseTo((100 * 30 + 1000 * 10) / 40.0, within(1e-9));
    Arrivals a = spec.start();
    SplittableRandom r = new SplittableRandom(8);
    long horizon = 20_000_000_000_000L; // 20,000 s
    long n = 0;
    while (a.next(r) < horizon) {
      n++;
    }
    assertThat(n / 20_000.0).isCloseTo(spec.meanRate(), within(0.05 * spec.meanRate()));
    assertThat(spec.scaled(2).meanRate()).isCloseTo(2 * spec.meanRate(), within(1e-9));
  }

  @Test
  void zipfSkewsTowardsTheFirstRanks() {
    Zipf z = new Zipf(100, 1.1);
    SplittableRandom r = new SplittableRandom(2);
    int[] counts = new int[100];
    for (int i = 0; i < 200_000; i++) {
      counts[z.sample(r)]++;
    }
    assertThat(counts[0] / 200_000.0).isCloseTo(z.probability(0), within(0.005));
    assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(10 * counts[99]);
    assertThat(new Zipf(4, 0).probability(3)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void theShippedTracesLoadWithTheirAttributionAndReplayScaled() throws Exception {
    Trace conv = Trace.load("builtin:azure-llm-2023-conv", Path.of("."));
    assertThat(conv.size()).isEqualTo(19_366);
    assertThat(conv.spanNanos() / 1e9).isCloseTo(3_502, within(5.0));
    assertThat(conv.rate()).isCloseTo(5.5, within(0.1));
    assertThat(Trace.load("builtin:azure-llm-2023-code", Path.of(".")).size()).isEqualTo(8_819);
    assertThat(Trace.class.getResource("/traces/README.md")).isNotNull();
    String readme = new String(Trace.class.getResourceAsStream("/traces/README.md")
        .readAllBytes(), StandardCharsets.UTF_8);
    assertThat(readme).contains("CC-BY 4.0").contains("Splitwise");

    Arrivals.Replay x10 = new Arrivals.Replay(conv, 10, true);
    assertThat(x10.meanRate()).isCloseTo(55, within(1.0));
    Arrivals a = x10.start();
    SplittableRandom r = new SplittableRandom(0);
    long first = a.next(r);
    assertThat(first).isZero();
    assertThat(a.promptTokens()).isEqualTo(374);
    assertThat(a.outputTokens()).isEqualTo(44);
    long last = 0;
    for (int i = 1; i < conv.size() + 1; i++) {
      last = a.next(r);
    }
    // The second pass begins after the first (350 s at x10) and one mean gap.
    assertThat(last / 1e9).isCloseTo(350.2, within(0.5));
    assertThat(a.promptTokens()).isEqualTo(374);
  }

  @Test
  void aMalformedTraceNamesItsLine() {
    String csv = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:47,abc,3\n";
    assertThatThrownBy(() -> Trace.read("t.csv",
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("t.csv: line 3");
  }
}
