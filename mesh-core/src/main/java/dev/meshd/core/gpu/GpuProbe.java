package dev.meshd.core.gpu;

/**
 * Finds the GPUs of this machine. Implementations: {@code NvmlGpuProbe} (NVML through FFM),
 * {@code NvidiaSmiGpuProbe} (parses {@code nvidia-smi}), {@code SimulatedGpuProbe} (from config)
 * and {@code AutoGpuProbe} (NVML, then nvidia-smi, then none).
 *
 * <p>A probe never throws for missing hardware or drivers: it says so in its {@link
 * GpuDiscovery}. It may block (a driver call, a child process) but within its configured
 * timeout; callers run it off request paths.
 */
public interface GpuProbe {

  /** Short name for logs, e.g. {@code nvml}. */
  String name();

  /** Looks for GPUs now. Safe to call repeatedly, e.g. to refresh usage figures. */
  GpuDiscovery discover();
}
