package dev.meshd.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ModelLoadTest {

  @Test
  void theFourArgumentFormMeansTheDecodeRateWasNotMeasured() {
    ModelLoad load = new ModelLoad("m", 3, 2, OptionalDouble.of(0.5));

    assertThat(load.decodeTokensPerSecond()).isEmpty();
    assertThat(load).isEqualTo(new ModelLoad("m", 3, 2, OptionalDouble.of(0.5),
        OptionalDouble.empty()));
    assertThat(load.withDecodeTokensPerSecond(OptionalDouble.of(41.5)).decodeTokensPerSecond())
        .hasValue(41.5);
  }

  @Test
  void aDecodeRateIsFiniteAndPositive() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new ModelLoad("m", 0, 0, OptionalDouble.empty(),
          OptionalDouble.of(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("decodeTokensPerSecond: " + bad + " (expected: a finite value > 0)");
    }
    assertThatThrownBy(() -> new ModelLoad("m", 0, 0, OptionalDouble.empty(), null))
        .hasMessage("decodeTokensPerSecond");
  }
}
