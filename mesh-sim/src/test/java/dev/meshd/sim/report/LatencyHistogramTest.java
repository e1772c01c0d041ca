package dev.meshd.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void quantilesAreWithinHalfAPercentOfTheExactOnes() {
    SplittableRandom r = new SplittableRandom(1);
    LatencyHistogram h = new LatencyHistogram();
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(14 + 3 * r.nextDouble()); // 1 ms .. 24 s, spread out
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double q : new double[] {0.5, 0.95, 0.99, 0.999}) {
      long exact = values[(int) Math.ceil(q * values.length) - 1];
      assertThat((double) h.quantileNanos(q)).as("q%s", q).isCloseTo(exact,
          within(0.005 * exact));
    }
    assertThat(h.count()).isEqualTo(values.length);
    assertThat(h.maxNanos()).isEqualTo(values[values.length - 1]);
  }

  @Test
  void bucketsTileTheLineWithoutGapsOrOverlaps() {
    for (long v = 0; v < 100_000; v++) {
      int i = LatencyHistogram.index(v);
      assertThat(LatencyHistogram.lowest(i)).isLessThanOrEqualTo(v);
      assertThat(LatencyHistogram.lowest(i + 1)).isGreaterThan(v);
    }
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan((64 - 7) * 128);
  }

  @Test
  void smallValuesAreExactAndEmptyIsZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertThat(h.quantileNanos(0.5)).isZero();
    h.record(5);
    h.record(7);
    assertThat(h.quantileNanos(0.5)).isEqualTo(5);
    assertThat(h.quantileNanos(1.0)).isEqualTo(7);
    assertThat(h.meanNanos()).isEqualTo(6.0);
  }
}
