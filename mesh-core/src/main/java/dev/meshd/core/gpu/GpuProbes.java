package dev.meshd.core.gpu;

import dev.meshd.core.config.GpusConfig;
import java.util.Objects;

/** Builds the {@link GpuProbe} that {@code gpus.source} asks for. Stateless. */
public final class GpuProbes {

  private GpuProbes() {}

  /**
   * The probe for {@code config.source()}: {@code auto} gives {@link AutoGpuProbe} over NVML and
   * nvidia-smi; {@code nvml}, {@code nvidia-smi} and {@code simulated} give that probe alone.
   * Every real probe is bounded by {@code config.probeTimeout()}.
   *
   * @param nodeId seeds the simulated GPUs' UUIDs
   */
  public static GpuProbe fromConfig(GpusConfig config, String nodeId) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(nodeId, "nodeId");
    return switch (config.source()) {
      case AUTO -> new AutoGpuProbe(nvml(config), nvidiaSmi(config));
      case NVML -> nvml(config);
      case NVIDIA_SMI -> nvidiaSmi(config);
      case SIMULATED -> new SimulatedGpuProbe(config.simulated(), nodeId);
    };
  }

  private static GpuProbe nvml(GpusConfig config) {
    return new NvmlGpuProbe(config.nvmlLibrary(), config.probeTimeout());
  }

  private static GpuProbe nvidiaSmi(GpusConfig config) {
    return new NvidiaSmiGpuProbe(config.nvidiaSmi(), config.probeTimeout());
  }
}
