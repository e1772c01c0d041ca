package dev.meshd.core.signal;

import dev.meshd.core.capability.GpuInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One reading of one GPU's usage: the fast-changing half of a {@link GpuInfo} (memory in use,
 * utilization, with the total and health that frame them), as the observing agent read it. The
 * slow facts (model, MIG profile, how the GPU was found) stay in the capability record, and a
 * receiver matches a reading to the record's GPU by {@link #uuid}. Immutable.
 *
 * @param index device index as the driver numbers it
 * @param uuid stable identity, as in the record
 * @param vramUsedBytes memory in use, in bytes
 * @param vramTotalBytes memory in all, in bytes
 * @param utilization compute utilization 0.0 to 1.0; 0 when the device does not report it
 * @param healthy false when the driver reports the device as unusable
 * @param refreshInterval how often the observing agent reads its GPUs: a reading is expected to
 *     be up to this old before the next one replaces it; {@link Duration#ZERO} when not known
 * @param observedAt when the reading was taken, by the observing agent's clock (on a receiver,
 *     an estimate on the receiver's own clock)
 */
public record GpuSignal(
    int index,
    String uuid,
    long vramUsedBytes,
    long vramTotalBytes,
    double utilization,
    boolean healthy,
    Duration refreshInterval,
    Instant observedAt) {

  public GpuSignal {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(observedAt, "observedAt");
    if (vramTotalBytes < 0 || vramUsedBytes < 0) {
      throw new IllegalArgumentException(
          "vram: total " + vramTotalBytes + ", used " + vramUsedBytes + " (expected: >= 0)");
    }
    if (!(utilization >= 0.0 && utilization <= 1.0)) {
      throw new IllegalArgumentException("utilization: " + utilization + " (expected: 0.0-1.0)");
    }
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException(
          "refreshInterval: " + refreshInterval + " (expected: >= 0)");
    }
  }

  /**
   * The usage of {@code gpu} as read at {@code observedAt}, by an agent that reads its GPUs
   * every {@code refreshInterval}.
   */
  public static GpuSignal of(GpuInfo gpu, Duration refreshInterval, Instant observedAt) {
    return new GpuSignal(gpu.index(), gpu.uuid(), gpu.vramUsedBytes(), gpu.vramTotalBytes(),
        gpu.utilization(), gpu.healthy(), refreshInterval, observedAt);
  }

  /** True when {@code other} says the same about the GPU; the time of the reading aside. */
  public boolean sameContent(GpuSignal other) {
    return index == other.index && uuid.equals(other.uuid)
        && vramUsedBytes == other.vramUsedBytes && vramTotalBytes == other.vramTotalBytes
        && Double.compare(utilization, other.utilization) == 0 && healthy == other.healthy
        && refreshInterval.equals(other.refreshInterval);
  }
}
