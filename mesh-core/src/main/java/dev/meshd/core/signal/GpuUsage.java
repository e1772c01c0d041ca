package dev.meshd.core.signal;

import dev.meshd.core.capability.GpuInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's GPUs with each one's usage from the freshest source an agent has: the GPU's reading
 * from the signal path when one is present and fresh ({@link AgedGpuSignal#isStale}), else the
 * capability record's figures, which gossip republishes only sparingly. The router scores with
 * it and {@code list-nodes} shows it, so both say the same. Immutable.
 *
 * @param gpus the record's GPUs, in its order; each fresh reading (matched by uuid) replaces its
 *     GPU's memory used and total, utilization and health
 * @param freshFor how long the readings used stay fresh (the shortest); empty when none was used,
 *     so the figures are the record's and no reading's ageing can change them
 */
public record GpuUsage(List<GpuInfo> gpus, Optional<Duration> freshFor) {

  public GpuUsage {
    gpus = List.copyOf(gpus);
    Objects.requireNonNull(freshFor, "freshFor");
  }

  /**
   * The record's {@code recorded} GPUs with the usage of their fresh {@code readings}.
   *
   * @param staleAfter the router's staleness bound ({@code router.stale-after})
   */
  public static GpuUsage freshest(List<GpuInfo> recorded, List<AgedGpuSignal> readings,
      Duration staleAfter) {
    if (readings.isEmpty()) {
      return new GpuUsage(recorded, Optional.empty());
    }
    Map<String, AgedGpuSignal> fresh = new HashMap<>();
    for (AgedGpuSignal reading : readings) {
      if (!reading.isStale(staleAfter)) {
        fresh.put(reading.signal().uuid(), reading);
      }
    }
    List<GpuInfo> out = new ArrayList<>(recorded.size());
    Duration shortest = null;
    for (GpuInfo gpu : recorded) {
      AgedGpuSignal reading = fresh.get(gpu.uuid());
      if (reading == null) {
        out.add(gpu);
        continue;
      }
      GpuSignal s = reading.signal();
      out.add(new GpuInfo(gpu.index(), gpu.uuid(), gpu.model(), s.vramTotalBytes(),
          s.vramUsedBytes(), s.utilization(), gpu.migProfile(), s.healthy(), gpu.source()));
      Duration left = reading.freshFor(staleAfter);
      shortest = shortest == null || left.compareTo(shortest) < 0 ? left : shortest;
    }
    return new GpuUsage(out, Optional.ofNullable(shortest));
  }

  /** Memory free over all GPUs as a fraction 0..1 of their total; 0 without GPU memory. */
  public double vramFreeRatio() {
    long total = 0;
    long used = 0;
    for (GpuInfo gpu : gpus) {
      total += gpu.vramTotalBytes();
      used += gpu.vramUsedBytes();
    }
    return total <= 0 ? 0 : Math.clamp(1.0 - (double) used / total, 0.0, 1.0);
  }

  /** Mean utilization 0..1 of the GPUs; 0 without GPUs. */
  public double meanUtilization() {
    return gpus.stream().mapToDouble(GpuInfo::utilization).average().orElse(0);
  }
}
