package dev.meshd.core.gpu;

import dev.meshd.core.capability.GpuInfo;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one {@link GpuProbe#discover()}.
 *
 * @param status FOUND (the source works; {@code gpus} may still be empty), ABSENT (the source
 *     does not exist here, e.g. no {@code libnvidia-ml.so.1}), FAILED (it exists but failed)
 * @param gpus the GPUs, sorted by index; empty unless FOUND
 * @param detail why ABSENT or FAILED, or which source answered, for logs and operators
 */
public record GpuDiscovery(Status status, List<GpuInfo> gpus, String detail) {

  /** Whether the source answered. */
  public enum Status {
    FOUND,
    ABSENT,
    FAILED
  }

  public GpuDiscovery {
    Objects.requireNonNull(status, "status");
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    detail = Objects.requireNonNullElse(detail, "");
    if (status != Status.FOUND && !gpus.isEmpty()) {
      throw new IllegalArgumentException("gpus must be empty when status is " + status);
    }
  }

  public static GpuDiscovery found(List<GpuInfo> gpus, String detail) {
    return new GpuDiscovery(Status.FOUND, gpus, detail);
  }

  public static GpuDiscovery absent(String why) {
    return new GpuDiscovery(Status.ABSENT, List.of(), why);
  }

  public static GpuDiscovery failed(String why) {
    return new GpuDiscovery(Status.FAILED, List.of(), why);
  }
}
