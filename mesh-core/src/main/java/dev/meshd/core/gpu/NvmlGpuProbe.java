package dev.meshd.core.gpu;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.gpu.internal.NvmlException;
import dev.meshd.core.gpu.internal.NvmlLibrary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds GPUs through NVML ({@code libnvidia-ml.so.1}) called in-process with the FFM API: the
 * same source nvidia-smi reads, without a child process per refresh.
 *
 * <p>No library means no NVIDIA driver: ABSENT, not an error. Each {@link #discover()} brackets
 * its device calls with {@code nvmlInit_v2}/{@code nvmlShutdown}, so that no driver state is held
 * between refreshes and a reloaded driver is picked up. A device whose calls fail is skipped and
 * named in the detail (the others still serve); if none can be read the result is FAILED with the
 * function and NVML's error text. A memory or utilization figure the device does not support
 * (MIG, some vGPUs) reads as 0.
 *
 * <p>A native call cannot be interrupted, and a hung driver blocks it for minutes. The calls
 * therefore run on a daemon thread and {@code discover()} waits at most the timeout; while a
 * timed-out call is still stuck, later calls report FAILED at once instead of piling up threads.
 * Thread-safe: {@code discover()} is synchronized.
 */
public final class NvmlGpuProbe implements GpuProbe {

  private final String library;
  private final Duration timeout;
  private final BoundedNativeCall calls = new BoundedNativeCall("NVML", "meshd-nvml-probe");
  private NvmlLibrary nvml;

  /**
   * @param library a name the dynamic loader searches for, normally {@code libnvidia-ml.so.1},
   *     or a path containing {@code /}
   * @param timeout longest one discovery may block
   */
  public NvmlGpuProbe(String library, Duration timeout) {
    this.library = Objects.requireNonNull(library, "library");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  @Override
  public String name() {
    return "nvml";
  }

  @Override
  public synchronized GpuDiscovery discover() {
    if (nvml == null) {
      try {
        // Kept once loaded; a failed load is retried next time, in case a driver is installed.
        nvml = NvmlLibrary.load(library);
      } catch (IllegalArgumentException e) {
        return GpuDiscovery.absent(library + " not found: no NVIDIA driver");
      } catch (NvmlException e) {
        return GpuDiscovery.failed("NVML: " + e.getMessage());
      }
    }
    NvmlLibrary bound = nvml;
    return switch (calls.call(() -> query(bound), timeout)) {
      case BoundedNativeCall.Outcome.Done<GpuDiscovery>(GpuDiscovery discovery) -> discovery;
      case BoundedNativeCall.Outcome.Failed<GpuDiscovery>(String message) ->
          GpuDiscovery.failed(message);
    };
  }

  private static GpuDiscovery query(NvmlLibrary nvml) {
    try {
      nvml.init();
    } catch (NvmlException e) {
      return GpuDiscovery.failed("NVML: " + e.getMessage());
    }
    GpuDiscovery result;
    try {
      result = readDevices(nvml);
    } catch (NvmlException e) {
      result = GpuDiscovery.failed("NVML: " + e.getMessage());
    }
    try {
      nvml.shutdown();
    } catch (NvmlException e) {
      // The figures stand; a failed shutdown only leaks NVML's reference count, but an operator
      // chasing a driver problem wants to see it.
      return new GpuDiscovery(result.status(), result.gpus(),
          result.detail() + "; " + e.getMessage());
    }
    return result;
  }

  private static GpuDiscovery readDevices(NvmlLibrary nvml) throws NvmlException {
    int count = nvml.deviceCount();
    List<GpuInfo> gpus = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        gpus.add(readDevice(nvml, nvml.device(i)));
      } catch (NvmlException e) {
        skipped.add("GPU " + i + ": " + e.getMessage());
      }
    }
    if (gpus.isEmpty() && !skipped.isEmpty()) {
      return GpuDiscovery.failed("NVML: " + String.join("; ", skipped));
    }
    String detail = "nvml: " + gpus.size() + " GPU(s)";
    if (!skipped.isEmpty()) {
      detail += "; skipped " + String.join("; ", skipped);
    }
    return GpuDiscovery.found(gpus, detail);
  }

  private static GpuInfo readDevice(NvmlLibrary nvml, NvmlLibrary.Device device)
      throws NvmlException {
    String name = nvml.name(device);
    String uuid = nvml.uuid(device);
    NvmlLibrary.Memory memory = nvml.memory(device);
    double utilization;
    try {
      utilization = Math.clamp(nvml.utilization(device).gpuPercent() / 100.0, 0.0, 1.0);
    } catch (NvmlException e) {
      if (e.code() != NvmlException.NOT_SUPPORTED) {
        throw e;
      }
      utilization = 0;
    }
    // nvmlMemory_t is unsigned; a value past Long.MAX_VALUE would be a driver bug, read as 0.
    long total = Math.max(0, memory.totalBytes());
    long used = Math.max(0, memory.usedBytes());
    return new GpuInfo(device.index(), uuid, name, total, used, utilization, "", true,
        GpuSource.NVML);
  }
}
