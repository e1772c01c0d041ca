package dev.meshd.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The decode rate a simulated runtime publishes, measured as the agent measures a real one. */
class DecodeRateTest {

  @Test
  void tokensOverTheSecondsBetweenConsecutiveTokens() {
    // 1,200 tokens whose inter-token intervals add up to 12 request-seconds: 100 tokens/s each.
    assertThat(SignalBoard.decodeRate(1200, 12.0, Double.NaN)).isEqualTo(100.0);
  }

  @Test
  void aWindowWithoutTokensKeepsTheLastFigureAndNothingMeasuredStaysUnknown() {
    assertThat(SignalBoard.decodeRate(0, 0, 42.0)).isEqualTo(42.0);
    // Requests waited out a prefill the whole window: time, no token.
    assertThat(SignalBoard.decodeRate(0, 3.0, 42.0)).isEqualTo(42.0);
    assertThat(SignalBoard.decodeRate(0, 0, Double.NaN)).isNaN();
  }

  @Test
  void aShortRequestWithinOneWindowIsMeasuredToo() {
    // 50 tokens by a request that started and finished between two publications, 1 s of
    // decoding: the counter divided by the running requests at the ends (0 and 0) had nothing.
    assertThat(SignalBoard.decodeRate(50, 1.0, 42.0)).isEqualTo(50.0);
  }
}
