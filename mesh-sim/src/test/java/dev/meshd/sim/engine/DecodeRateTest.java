package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The decode rate a simulated runtime publishes, measured as the agent measures a real one. */
class DecodeRateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void tokensPerSecondPerMeanRunningRequest() {
    // 1,200 tokens in 0.5 s while the batch went from 20 to 28 (mean 24): 100 tokens/s each.
    assertThat(SignalBoard.decodeRate(1200, SECOND / 2, 20, 28, Double.NaN)).isEqualTo(100.0);
  }

  @Test
  void anIdleWindowKeepsTheLastFigureAndNothingMeasuredStaysUnknown() {
    assertThat(SignalBoard.decodeRate(0, SECOND, 0, 0, 42.0)).isEqualTo(42.0);
    assertThat(SignalBoard.decodeRate(0, SECOND, 3, 3, 42.0)).isEqualTo(42.0);
    assertThat(SignalBoard.decodeRate(0, SECOND, 0, 0, Double.NaN)).isNaN();
    // A request that finished within the window: tokens, but no one running at either end.
    assertThat(SignalBoard.decodeRate(50, SECOND, 0, 0, 42.0)).isEqualTo(42.0);
  }
}
