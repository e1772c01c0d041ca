package dev.meshd.agent.inventory;

import dev.meshd.agent.metrics.GpuMetrics;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads GPU usage every {@code interval}, always updates the GPU metrics, and republishes the
 * capability record only on a significant change.
 *
 * <p>Records travel as gossip metadata, which every peer fetches on each change, so usage rides
 * there sparingly: at most once per interval and only when memory moved by more than {@link
 * #MEMORY_STEP} of a GPU's total or utilization by more than {@link #UTILIZATION_STEP} (or the
 * set of GPUs changed). The router's faster load-signal path is a later issue. Runs on its own
 * daemon thread; {@link #close()} stops it.
 */
public final class GpuRefresher implements AutoCloseable {

  /** Fraction of a GPU's memory that counts as a significant change. */
  public static final double MEMORY_STEP = 0.01;

  /** Absolute change of utilization that counts as significant. */
  public static final double UTILIZATION_STEP = 0.05;

  private static final Logger LOG = LoggerFactory.getLogger(GpuRefresher.class);

  private final Inventory inventory;
  private final Supplier<CapabilityRecord> current;
  private final RecordUpdater updater;
  private final GpuMetrics metrics;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("meshd-gpu-refresh").daemon().factory());

  public GpuRefresher(
      Inventory inventory, Supplier<CapabilityRecord> current,
      RecordUpdater updater, GpuMetrics metrics) {
    this.inventory = inventory;
    this.current = current;
    this.updater = updater;
    this.metrics = metrics;
  }

  public void start(Duration interval) {
    metrics.update(current.get());
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::refreshOnce, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One refresh; public for tests. */
  public void refreshOnce() {
    try {
      // The probe runs outside the update: it may take seconds (nvidia-smi).
      List<GpuInfo> gpus = inventory.refreshGpus(current.get().gpus());
      updater.update(record -> {
        CapabilityRecord candidate = record.withGpus(gpus);
        metrics.update(candidate);
        return significantlyDifferent(record.gpus(), gpus) ? candidate : record;
      });
    } catch (RuntimeException e) {
      LOG.warn("gpus: refresh failed: {}", e.toString());
    }
  }

  static boolean significantlyDifferent(List<GpuInfo> before, List<GpuInfo> after) {
    if (before.size() != after.size()) {
      return true;
    }
    for (int i = 0; i < before.size(); i++) {
      GpuInfo a = before.get(i);
      GpuInfo b = after.get(i);
      if (!a.uuid().equals(b.uuid()) || a.healthy() != b.healthy()
          || a.vramTotalBytes() != b.vramTotalBytes()) {
        return true;
      }
      double memoryStep = MEMORY_STEP * Math.max(1, a.vramTotalBytes());
      if (Math.abs(a.vramUsedBytes() - b.vramUsedBytes()) > memoryStep
          || Math.abs(a.utilization() - b.utilization()) > UTILIZATION_STEP) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
