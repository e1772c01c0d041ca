package dev.meshd.core.config;

import java.util.Objects;

/**
 * One line of {@code gpus.simulated}: {@code count} identical GPUs.
 *
 * @param model product name shown to operators, e.g. {@code H100-80GB}
 * @param count how many, at least 1
 * @param vramGb memory per GPU in decimal GB, as in product names
 * @param migProfile optional MIG profile of each simulated slice; empty for whole GPUs
 */
public record SimulatedGpuSpec(String model, int count, double vramGb, String migProfile) {
  public SimulatedGpuSpec {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model: empty");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }
    if (!(vramGb > 0)) {
      throw new IllegalArgumentException("vram-gb: " + vramGb + " (expected: > 0)");
    }
    migProfile = Objects.requireNonNullElse(migProfile, "");
  }

  public long vramBytes() {
    return Math.round(vramGb * 1_000_000_000d);
  }
}
