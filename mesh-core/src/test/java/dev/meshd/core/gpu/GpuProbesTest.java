package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.config.GpuSourceSetting;
import dev.meshd.core.config.GpusConfig;
import dev.meshd.core.config.SimulatedGpuSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuProbesTest {

  private static GpusConfig config(GpuSourceSetting source) {
    return new GpusConfig(source, List.of(new SimulatedGpuSpec("H100-80GB", 8, 80, "")),
        Path.of("nvidia-smi"), "libnvidia-ml.so.1", Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  @Test
  void eachSourceGetsItsProbe() {
    assertThat(GpuProbes.fromConfig(config(GpuSourceSetting.AUTO), "n1"))
        .isInstanceOf(AutoGpuProbe.class);
    assertThat(GpuProbes.fromConfig(config(GpuSourceSetting.NVML), "n1"))
        .isInstanceOf(NvmlGpuProbe.class);
    assertThat(GpuProbes.fromConfig(config(GpuSourceSetting.NVIDIA_SMI), "n1"))
        .isInstanceOf(NvidiaSmiGpuProbe.class);
    GpuProbe simulated = GpuProbes.fromConfig(config(GpuSourceSetting.SIMULATED), "n1");
    assertThat(simulated).isInstanceOf(SimulatedGpuProbe.class);
    assertThat(simulated.discover().gpus()).hasSize(8);
  }
}
