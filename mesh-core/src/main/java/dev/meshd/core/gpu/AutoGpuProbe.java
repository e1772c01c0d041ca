package dev.meshd.core.gpu;

import java.util.Objects;

/**
 * {@code gpus.source: auto}: NVML first (in-process, cheapest), then nvidia-smi (works where the
 * library cannot be loaded into the JVM), then no GPUs.
 *
 * <p>The first FOUND answer wins. When neither finds GPUs the result is ABSENT if both sources
 * are simply missing (a machine without NVIDIA GPUs, which is normal), but FAILED if either
 * exists and failed, so that a broken driver on a GPU node is not mistaken for a CPU-only node.
 * The detail carries both reasons. Thread-safe if both probes are.
 */
public final class AutoGpuProbe implements GpuProbe {

  private final GpuProbe nvml;
  private final GpuProbe nvidiaSmi;

  public AutoGpuProbe(GpuProbe nvml, GpuProbe nvidiaSmi) {
    this.nvml = Objects.requireNonNull(nvml, "nvml");
    this.nvidiaSmi = Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
  }

  @Override
  public String name() {
    return "auto";
  }

  @Override
  public GpuDiscovery discover() {
    GpuDiscovery first = nvml.discover();
    if (first.status() == GpuDiscovery.Status.FOUND) {
      return first;
    }
    GpuDiscovery second = nvidiaSmi.discover();
    if (second.status() == GpuDiscovery.Status.FOUND) {
      return second;
    }
    String reasons = first.detail() + "; " + second.detail();
    boolean failed = first.status() == GpuDiscovery.Status.FAILED
        || second.status() == GpuDiscovery.Status.FAILED;
    return failed
        ? GpuDiscovery.failed("no usable NVIDIA GPU source: " + reasons)
        : GpuDiscovery.absent("no NVIDIA GPU: " + reasons);
  }
}
