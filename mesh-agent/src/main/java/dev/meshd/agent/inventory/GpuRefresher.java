package dev.meshd.agent.inventory;

import dev.meshd.agent.metrics.GpuMetrics;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.config.GpusConfig;
import dev.meshd.core.signal.GpuSignal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the GPUs every {@code gpus.refresh-interval}: each successful read updates the GPU
 * metrics and goes to the signal path as one reading per GPU (routers get it over their signal
 * streams, with its age); the gossiped capability record is republished sparingly.
 *
 * <p>Records travel as gossip metadata, which every peer fetches on each change (N-1 fetches),
 * and routers now take usage from the signal path, so the record republishes:
 *
 * <ul>
 *   <li>at once when a slow fact changed: the set of GPUs, or a GPU's index, model, total memory,
 *       health, MIG profile or source ({@link #slowFactsChanged});
 *   <li>for usage alone, at most once per {@code gpus.record-usage-interval} ({@link
 *       GpusConfig#DEFAULT_RECORD_USAGE_INTERVAL} by default), and only when memory moved by more
 *       than {@link #MEMORY_STEP} of a GPU's total or utilization by more than {@link
 *       #UTILIZATION_STEP} since the figures the record carries ({@link
 *       #usageMovedSignificantly}). The record keeps usage so that {@code list-nodes} on an agent
 *       that receives no signal streams still shows a recent figure, and so that a router whose
 *       stream from a node broke has one to fall back on.
 * </ul>
 *
 * <p>A failed read changes nothing: the record keeps its figures, and the last readings age on
 * the signal path until routers distrust them. Runs on its own daemon thread, which owns the time
 * of the last usage republication; {@link #close()} stops it.
 */
public final class GpuRefresher implements AutoCloseable {

  /** Fraction of a GPU's memory that counts as a significant change. */
  public static final double MEMORY_STEP = 0.01;

  /** Absolute change of utilization that counts as significant. */
  public static final double UTILIZATION_STEP = 0.05;

  /**
   * How often the GPUs are read ({@code gpus.refresh-interval}; readings announce it, so that
   * routers judge their age by it) and how often, at most, usage alone republishes the record
   * ({@code gpus.record-usage-interval}).
   */
  public record Intervals(Duration read, Duration recordUsage) {

    public Intervals {
      if (read.toMillis() <= 0) {
        throw new IllegalArgumentException("read: " + read + " (expected: >= 1ms)");
      }
      Objects.requireNonNull(recordUsage, "recordUsage");
    }

    public static Intervals of(GpusConfig config) {
      return new Intervals(config.refreshInterval(), config.recordUsageInterval());
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GpuRefresher.class);

  private final Supplier<Optional<List<GpuInfo>>> read;
  private final Supplier<CapabilityRecord> current;
  private final RecordUpdater updater;
  private final GpuMetrics metrics;
  private final Consumer<List<GpuSignal>> readings;
  private final Clock clock;
  private final Intervals intervals;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("meshd-gpu-refresh").daemon().factory());
  // Owned by the refresh thread (tests call refreshOnce from theirs, never concurrently).
  private Instant usagePublishedAt;

  /**
   * @param read one read of the GPUs ({@link Inventory#readGpus}): empty when the probe failed
   * @param current this node's record as published
   * @param updater republishes the record
   * @param readings where each successful read goes on the signal path ({@code GpuReadings})
   * @param clock stamps readings and times usage republications
   */
  public GpuRefresher(Supplier<Optional<List<GpuInfo>>> read, Supplier<CapabilityRecord> current,
      RecordUpdater updater, GpuMetrics metrics, Consumer<List<GpuSignal>> readings,
      Clock clock, Intervals intervals) {
    this.read = Objects.requireNonNull(read, "read");
    this.current = Objects.requireNonNull(current, "current");
    this.updater = Objects.requireNonNull(updater, "updater");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.readings = Objects.requireNonNull(readings, "readings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.intervals = Objects.requireNonNull(intervals, "intervals");
    // The record this agent started with carries the usage read at start.
    this.usagePublishedAt = clock.instant();
  }

  /** Reads now, off the caller's thread, and then every read interval. */
  public void start() {
    metrics.update(current.get());
    timer.scheduleWithFixedDelay(this::refreshOnce, 0, intervals.read().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One read; public for tests. */
  public void refreshOnce() {
    try {
      // The probe runs outside the update: it may take seconds (nvidia-smi).
      Optional<List<GpuInfo>> found = read.get();
      if (found.isEmpty()) {
        return;
      }
      List<GpuInfo> gpus = found.get();
      Instant now = clock.instant();
      readings.accept(gpus.stream().map(g -> GpuSignal.of(g, intervals.read(), now)).toList());
      Duration sincePublished = Duration.between(usagePublishedAt, now);
      AtomicBoolean published = new AtomicBoolean();
      updater.update(record -> {
        CapabilityRecord candidate = record.withGpus(gpus);
        metrics.update(candidate);
        if (!shouldRepublish(record.gpus(), gpus, sincePublished, intervals.recordUsage())) {
          return record;
        }
        published.set(true);
        return candidate;
      });
      if (published.get()) {
        usagePublishedAt = now;
      }
    } catch (RuntimeException e) {
      LOG.warn("gpus: refresh failed: {}", e.toString());
    }
  }

  /**
   * Whether the record, carrying {@code published}, is republished with {@code read}, {@code
   * sincePublished} after its usage was last published (negative when the clock went back, which
   * counts as long enough), when usage alone may republish once per {@code usageInterval}.
   */
  static boolean shouldRepublish(List<GpuInfo> published, List<GpuInfo> read,
      Duration sincePublished, Duration usageInterval) {
    if (slowFactsChanged(published, read)) {
      return true;
    }
    boolean due = sincePublished.isNegative() || sincePublished.compareTo(usageInterval) >= 0;
    return due && usageMovedSignificantly(published, read);
  }

  /** The GPUs differ in anything but memory used and utilization. */
  static boolean slowFactsChanged(List<GpuInfo> before, List<GpuInfo> after) {
    if (before.size() != after.size()) {
      return true;
    }
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).withUsage(0, 0).equals(after.get(i).withUsage(0, 0))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A GPU's memory used moved by more than {@link #MEMORY_STEP} of its total, or its utilization
   * by more than {@link #UTILIZATION_STEP}; the lists have the same GPUs in the same order.
   */
  static boolean usageMovedSignificantly(List<GpuInfo> before, List<GpuInfo> after) {
    for (int i = 0; i < before.size(); i++) {
      GpuInfo a = before.get(i);
      GpuInfo b = after.get(i);
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
