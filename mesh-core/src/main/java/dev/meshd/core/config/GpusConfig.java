package dev.meshd.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code gpus:} how GPUs are discovered.
 *
 * @param source default {@code auto}
 * @param simulated used when {@code source} is {@code simulated}; required then
 * @param nvidiaSmi path of the {@code nvidia-smi} binary; default {@code nvidia-smi} on PATH
 * @param nvmlLibrary NVML library name or path; default {@code libnvidia-ml.so.1}
 * @param refreshInterval how often usage (memory, utilization) is read; default 5 s
 * @param probeTimeout longest a probe may take before it is abandoned; default 10 s
 */
public record GpusConfig(
    GpuSourceSetting source,
    List<SimulatedGpuSpec> simulated,
    Path nvidiaSmi,
    String nvmlLibrary,
    Duration refreshInterval,
    Duration probeTimeout) {
  public GpusConfig {
    Objects.requireNonNull(source, "source");
    simulated = simulated == null ? List.of() : List.copyOf(simulated);
    Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
    Objects.requireNonNull(nvmlLibrary, "nvmlLibrary");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(probeTimeout, "probeTimeout");
  }
}
