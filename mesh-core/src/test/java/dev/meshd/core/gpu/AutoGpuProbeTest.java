package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoGpuProbeTest {

  /** A probe that always answers the same and counts how often it was asked. */
  private static final class FixedProbe implements GpuProbe {
    private final GpuDiscovery answer;
    int calls;

    FixedProbe(GpuDiscovery answer) {
      this.answer = answer;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public GpuDiscovery discover() {
      calls++;
      return answer;
    }
  }

  private static GpuDiscovery found(GpuSource source) {
    return GpuDiscovery.found(List.of(new GpuInfo(0, "GPU-x", "H100", 1, 0, 0, "", true,
        source)), source.name());
  }

  @Test
  void nvmlWinsWhenItFindsGpusAndNvidiaSmiIsNotRun() {
    FixedProbe nvml = new FixedProbe(found(GpuSource.NVML));
    FixedProbe smi = new FixedProbe(found(GpuSource.NVIDIA_SMI));

    GpuDiscovery discovery = new AutoGpuProbe(nvml, smi).discover();

    assertThat(discovery).isEqualTo(found(GpuSource.NVML));
    assertThat(smi.calls).isZero();
  }

  @Test
  void nvidiaSmiIsTheFallbackWhenNvmlIsAbsentOrFails() {
    for (GpuDiscovery nvmlAnswer : List.of(GpuDiscovery.absent("no lib"),
        GpuDiscovery.failed("nvmlInit_v2: Driver Not Loaded (9)"))) {
      GpuDiscovery discovery = new AutoGpuProbe(new FixedProbe(nvmlAnswer),
          new FixedProbe(found(GpuSource.NVIDIA_SMI))).discover();

      assertThat(discovery).isEqualTo(found(GpuSource.NVIDIA_SMI));
    }
  }

  @Test
  void bothAbsentIsAbsentWithBothReasons() {
    GpuDiscovery discovery = new AutoGpuProbe(
        new FixedProbe(GpuDiscovery.absent("libnvidia-ml.so.1 not found: no NVIDIA driver")),
        new FixedProbe(GpuDiscovery.absent("nvidia-smi not found on PATH"))).discover();

    assertThat(discovery).isEqualTo(GpuDiscovery.absent("no NVIDIA GPU: libnvidia-ml.so.1 not "
        + "found: no NVIDIA driver; nvidia-smi not found on PATH"));
  }

  @Test
  void aBrokenSourceIsFailedNotAbsent() {
    GpuDiscovery discovery = new AutoGpuProbe(
        new FixedProbe(GpuDiscovery.failed("NVML: nvmlInit_v2: Driver Not Loaded (9)")),
        new FixedProbe(GpuDiscovery.absent("nvidia-smi not found on PATH"))).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(discovery.detail()).isEqualTo("no usable NVIDIA GPU source: NVML: nvmlInit_v2: "
        + "Driver Not Loaded (9); nvidia-smi not found on PATH");
  }
}
