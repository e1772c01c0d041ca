package dev.meshd.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuRefresherTest {

  private static GpuInfo gpu(long used, double utilization) {
    return new GpuInfo(0, "GPU-0", "H100", 80_000_000_000L, used, utilization, "", true,
        GpuSource.NVML);
  }

  @Test
  void smallChangesAreNotWorthARepublication() {
    assertThat(GpuRefresher.significantlyDifferent(
        List.of(gpu(10_000_000_000L, 0.50)), List.of(gpu(10_500_000_000L, 0.53)))).isFalse();
  }

  @Test
  void memoryBeyondOnePercentIsSignificant() {
    assertThat(GpuRefresher.significantlyDifferent(
        List.of(gpu(10_000_000_000L, 0.5)), List.of(gpu(11_000_000_000L, 0.5)))).isTrue();
  }

  @Test
  void utilizationBeyondFivePointsIsSignificant() {
    assertThat(GpuRefresher.significantlyDifferent(
        List.of(gpu(0, 0.10)), List.of(gpu(0, 0.20)))).isTrue();
  }

  @Test
  void aGpuAppearingOrFailingIsSignificant() {
    GpuInfo unhealthy = new GpuInfo(0, "GPU-0", "H100", 80_000_000_000L, 0, 0, "", false,
        GpuSource.NVML);
    assertThat(GpuRefresher.significantlyDifferent(List.of(gpu(0, 0)), List.of(unhealthy)))
        .isTrue();
    assertThat(GpuRefresher.significantlyDifferent(List.of(), List.of(gpu(0, 0)))).isTrue();
  }
}
