package dev.meshd.core.capability;

/** Where the agent learned about a GPU. Simulated GPUs are always marked as such. */
public enum GpuSource {
  NVML,
  NVIDIA_SMI,
  SIMULATED
}
