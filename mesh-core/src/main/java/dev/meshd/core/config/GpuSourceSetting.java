package dev.meshd.core.config;

import java.util.Locale;

/** {@code gpus.source}: which probe finds this node's GPUs. */
public enum GpuSourceSetting {
  /** NVML, then nvidia-smi, then no GPUs. */
  AUTO,
  NVML,
  NVIDIA_SMI,
  SIMULATED;

  /** The config spelling: {@code auto}, {@code nvml}, {@code nvidia-smi}, {@code simulated}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
