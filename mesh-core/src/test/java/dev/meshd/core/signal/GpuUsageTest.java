package dev.meshd.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuUsageTest {

  private static final Duration STALE_AFTER = Duration.ofSeconds(2);
  private static final Duration EVERY_5S = Duration.ofSeconds(5);
  private static final long GB = 1_000_000_000L;

  private final GpuInfo g0 = new GpuInfo(0, "GPU-0", "H100", 80 * GB, 10 * GB, 0.10, "", true,
      GpuSource.NVML);
  private final GpuInfo g1 = new GpuInfo(1, "GPU-1", "H100", 80 * GB, 20 * GB, 0.20, "1g.10gb",
      true, GpuSource.NVML);

  private static AgedGpuSignal reading(String uuid, long usedBytes, double utilization,
      Duration age) {
    return new AgedGpuSignal(new GpuSignal(0, uuid, usedBytes, 80 * GB, utilization, true,
        EVERY_5S, Instant.parse("2026-11-29T12:00:00Z")), age);
  }

  @Test
  void aFreshReadingReplacesItsGpusUsageAndKeepsTheRecordsSlowFacts() {
    GpuUsage usage = GpuUsage.freshest(List.of(g0, g1),
        List.of(reading("GPU-1", 60 * GB, 0.90, Duration.ofSeconds(1))), STALE_AFTER);

    assertThat(usage.gpus().get(0)).isEqualTo(g0);
    GpuInfo fromSignal = usage.gpus().get(1);
    assertThat(fromSignal.vramUsedBytes()).isEqualTo(60 * GB);
    assertThat(fromSignal.utilization()).isEqualTo(0.90);
    assertThat(fromSignal.migProfile()).isEqualTo("1g.10gb");
    assertThat(fromSignal.model()).isEqualTo("H100");
    assertThat(usage.vramFreeRatio()).isEqualTo(1 - 70.0 / 160);
    assertThat(usage.meanUtilization()).isEqualTo(0.50);
    // 2 s + 5 s - 1 s
    assertThat(usage.freshFor()).contains(Duration.ofSeconds(6));
  }

  @Test
  void aStaleReadingLeavesTheRecordsFigures() {
    GpuUsage usage = GpuUsage.freshest(List.of(g0, g1),
        List.of(reading("GPU-1", 60 * GB, 0.90, Duration.ofMillis(7_001))), STALE_AFTER);

    assertThat(usage.gpus()).containsExactly(g0, g1);
    assertThat(usage.freshFor()).isEmpty();
  }

  @Test
  void withoutReadingsTheRecordStandsAndAReadingOfAnUnknownGpuIsIgnored() {
    assertThat(GpuUsage.freshest(List.of(g0), List.of(), STALE_AFTER).gpus())
        .containsExactly(g0);
    GpuUsage unknown = GpuUsage.freshest(List.of(g0),
        List.of(reading("GPU-9", 70 * GB, 1.0, Duration.ZERO)), STALE_AFTER);
    assertThat(unknown.gpus()).containsExactly(g0);
    assertThat(unknown.freshFor()).isEmpty();
  }

  @Test
  void theShortestFreshnessOfTheReadingsUsedIsKept() {
    GpuUsage usage = GpuUsage.freshest(List.of(g0, g1), List.of(
        reading("GPU-0", 1, 0, Duration.ofSeconds(3)),
        reading("GPU-1", 1, 0, Duration.ofSeconds(1))), STALE_AFTER);

    assertThat(usage.freshFor()).contains(Duration.ofSeconds(4));
  }

  @Test
  void noGpusMeansNoHeadroomAndNoUtilization() {
    GpuUsage none = GpuUsage.freshest(List.of(), List.of(), STALE_AFTER);
    assertThat(none.vramFreeRatio()).isZero();
    assertThat(none.meanUtilization()).isZero();
  }
}
