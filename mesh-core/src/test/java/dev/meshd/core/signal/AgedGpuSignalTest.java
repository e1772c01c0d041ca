package dev.meshd.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgedGpuSignalTest {

  private static final Duration STALE_AFTER = Duration.ofSeconds(2);

  private static AgedGpuSignal aged(Duration refreshInterval, Duration age) {
    return new AgedGpuSignal(new GpuSignal(0, "GPU-0", 1, 2, 0.5, true, refreshInterval,
        Instant.parse("2026-11-29T12:00:00Z")), age);
  }

  @Test
  void aReadingIsStaleOnlyWhenTheBoundHasPassedSinceTheNextReadingWasDue() {
    Duration every5s = Duration.ofSeconds(5);
    // A healthy sender's reading is up to an interval plus a heartbeat old: still fresh.
    assertThat(aged(every5s, Duration.ofSeconds(6)).isStale(STALE_AFTER)).isFalse();
    assertThat(aged(every5s, Duration.ofSeconds(7)).isStale(STALE_AFTER)).isFalse();
    assertThat(aged(every5s, Duration.ofMillis(7_001)).isStale(STALE_AFTER)).isTrue();
    assertThat(aged(every5s, Duration.ofSeconds(6)).freshFor(STALE_AFTER))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void withoutAKnownIntervalTheRuntimeRuleApplies() {
    assertThat(aged(Duration.ZERO, Duration.ofSeconds(2)).isStale(STALE_AFTER)).isFalse();
    assertThat(aged(Duration.ZERO, Duration.ofMillis(2_001)).isStale(STALE_AFTER)).isTrue();
  }
}
