package dev.meshd.core.capability;

import java.util.Objects;

/**
 * One GPU (or MIG slice) as a node reports it.
 *
 * @param index device index as the driver numbers it
 * @param uuid stable identity, e.g. {@code GPU-8f0e...}; simulated GPUs get a derived one
 * @param model product name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param vramTotalBytes total memory in bytes
 * @param vramUsedBytes used memory in bytes, 0 when unknown
 * @param utilization compute utilization, 0.0 to 1.0, 0 when unknown
 * @param migProfile MIG profile such as {@code 1g.10gb}, empty for a whole GPU
 * @param healthy false when the driver reports the device as unusable
 * @param source how the GPU was discovered
 */
public record GpuInfo(
    int index,
    String uuid,
    String model,
    long vramTotalBytes,
    long vramUsedBytes,
    double utilization,
    String migProfile,
    boolean healthy,
    GpuSource source) {

  public GpuInfo {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(model, "model");
    migProfile = migProfile == null ? "" : migProfile;
    Objects.requireNonNull(source, "source");
    if (vramTotalBytes < 0 || vramUsedBytes < 0) {
      throw new IllegalArgumentException(
          "vram: total " + vramTotalBytes + ", used " + vramUsedBytes + " (expected: >= 0)");
    }
    if (!(utilization >= 0.0 && utilization <= 1.0)) {
      throw new IllegalArgumentException("utilization: " + utilization + " (expected: 0.0-1.0)");
    }
  }

  /** A copy with new usage figures, for periodic refreshes. */
  public GpuInfo withUsage(long newVramUsedBytes, double newUtilization) {
    return new GpuInfo(
        index, uuid, model, vramTotalBytes, newVramUsedBytes, newUtilization, migProfile, healthy,
        source);
  }
}
