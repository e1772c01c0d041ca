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
 * @param refreshInterval how often usage (memory, utilization) is read; default 5 s. Each read
 *     feeds the metrics and the signal path to routers
 * @param probeTimeout longest a probe may take before it is abandoned; default 10 s
 * @param recordUsageInterval how often, at most, the gossiped capability record is republished
 *     for a change of usage alone; default {@link #DEFAULT_RECORD_USAGE_INTERVAL}
 */
public record GpusConfig(
    GpuSourceSetting source,
    List<SimulatedGpuSpec> simulated,
    Path nvidiaSmi,
    String nvmlLibrary,
    Duration refreshInterval,
    Duration probeTimeout,
    Duration recordUsageInterval) {

  /**
   * 60 s: each republication of the record costs N-1 metadata fetches (every member fetches it),
   * and under load utilization moves at nearly every read, so this is how often a busy agent
   * republishes: N(N-1)/60 fetches per second in a fleet of N, where one per 5 s read made
   * N(N-1)/5. Routers take usage from the signal path; the record's figures are for {@code
   * list-nodes} on agents that receive no signal streams, for which a minute is recent enough.
   */
  public static final Duration DEFAULT_RECORD_USAGE_INTERVAL = Duration.ofSeconds(60);

  public GpusConfig {
    Objects.requireNonNull(source, "source");
    simulated = simulated == null ? List.of() : List.copyOf(simulated);
    Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
    Objects.requireNonNull(nvmlLibrary, "nvmlLibrary");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(probeTimeout, "probeTimeout");
    Objects.requireNonNull(recordUsageInterval, "recordUsageInterval");
  }

  /** With the default {@link #recordUsageInterval}. */
  public GpusConfig(GpuSourceSetting source, List<SimulatedGpuSpec> simulated, Path nvidiaSmi,
      String nvmlLibrary, Duration refreshInterval, Duration probeTimeout) {
    this(source, simulated, nvidiaSmi, nvmlLibrary, refreshInterval, probeTimeout,
        DEFAULT_RECORD_USAGE_INTERVAL);
  }
}
