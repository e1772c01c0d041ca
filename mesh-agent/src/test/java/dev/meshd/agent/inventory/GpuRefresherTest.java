package dev.meshd.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.agent.metrics.GpuMetrics;
import dev.meshd.agent.testing.FakeFleet;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GpuRefresherTest {

  private static final long GB = 1_000_000_000L;
  private static final Duration USAGE_INTERVAL = Duration.ofSeconds(60);
  private static final Duration JUST_PUBLISHED = Duration.ofSeconds(5);
  private static final Duration LONG_AGO = USAGE_INTERVAL;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final AtomicReference<CapabilityRecord> record = new AtomicReference<>();
  private final List<CapabilityRecord> published = new ArrayList<>();
  private final List<List<GpuSignal>> readings = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private volatile Optional<List<GpuInfo>> nextRead = Optional.empty();
  private GpuRefresher refresher;

  private static GpuInfo gpu(long used, double utilization) {
    return new GpuInfo(0, "GPU-0", "H100", 80 * GB, used, utilization, "", true,
        GpuSource.NVML);
  }

  @BeforeEach
  void setUp() {
    record.set(FakeFleet.record("g1", "", false).withGpus(List.of(gpu(10 * GB, 0.50))));
    refresher = new GpuRefresher(() -> nextRead, record::get, change -> {
      CapabilityRecord next = change.apply(record.get());
      if (next != record.get()) {
        published.add(next);
        record.set(next);
      }
    }, new GpuMetrics(registry), readings::add, clock,
        new GpuRefresher.Intervals(Duration.ofSeconds(5), USAGE_INTERVAL));
  }

  private static boolean republish(List<GpuInfo> published, List<GpuInfo> read,
      Duration sincePublished) {
    return GpuRefresher.shouldRepublish(published, read, sincePublished, USAGE_INTERVAL);
  }

  private void read(GpuInfo... gpus) {
    nextRead = Optional.of(List.of(gpus));
    refresher.refreshOnce();
  }

  @Test
  void everyReadGoesToTheSignalPathStampedWithTheClockAndTheReadInterval() {
    clock.advance(Duration.ofSeconds(5));
    read(gpu(10 * GB, 0.50));

    assertThat(readings).hasSize(1);
    GpuSignal reading = readings.getFirst().getFirst();
    assertThat(reading.uuid()).isEqualTo("GPU-0");
    assertThat(reading.utilization()).isEqualTo(0.50);
    assertThat(reading.observedAt()).isEqualTo(clock.instant());
    assertThat(reading.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(registry.get("meshd.gpu.utilization").gauge().value()).isEqualTo(0.50);
  }

  @Test
  void aFailedReadSendsNothingAndKeepsTheRecord() {
    nextRead = Optional.empty();
    refresher.refreshOnce();

    assertThat(readings).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void usageAloneIsRepublishedAtMostOncePerIntervalEvenWhenItMovesAtEveryRead() {
    // Under load utilization swings by more than 5 points at every 5 s read.
    for (int i = 1; i <= 24; i++) {
      clock.advance(Duration.ofSeconds(5));
      read(gpu(10 * GB, i % 2 == 0 ? 0.20 + 0.01 * i : 0.90));
    }

    // Two minutes of reads: one republication per minute (at 60 s and 120 s), where the old
    // rule made 24.
    assertThat(published).extracting(r -> r.gpus().getFirst().utilization())
        .containsExactly(0.32, 0.44);
    assertThat(readings).hasSize(24);
    // The metrics follow every read all the same.
    assertThat(registry.get("meshd.gpu.utilization").gauge().value()).isEqualTo(0.44);
  }

  @Test
  void aSmallMoveIsNotRepublishedEvenWhenDue() {
    clock.advance(Duration.ofMinutes(5));
    read(gpu(10 * GB + GB / 2, 0.53));

    assertThat(published).isEmpty();
  }

  @Test
  void aSlowFactChangeIsRepublishedAtOnceWithTheFreshUsage() {
    clock.advance(Duration.ofSeconds(5));
    GpuInfo unhealthy = new GpuInfo(0, "GPU-0", "H100", 80 * GB, 70 * GB, 0.0, "", false,
        GpuSource.NVML);
    read(unhealthy);

    assertThat(published).hasSize(1);
    assertThat(record.get().gpus()).containsExactly(unhealthy);
  }

  @Test
  void theRuleRepublishesUsageOnlyWhenSignificantAndDue() {
    List<GpuInfo> before = List.of(gpu(10 * GB, 0.50));
    // Memory by more than 1 % of the total, or utilization by more than 5 points...
    assertThat(republish(before, List.of(gpu(11 * GB, 0.50)), LONG_AGO)).isTrue();
    assertThat(republish(before, List.of(gpu(10 * GB, 0.60)), LONG_AGO)).isTrue();
    // ... but not within a minute of the last publication...
    assertThat(republish(before, List.of(gpu(11 * GB, 0.60)),
        JUST_PUBLISHED)).isFalse();
    assertThat(republish(before, List.of(gpu(11 * GB, 0.60)),
        LONG_AGO.minusMillis(1))).isFalse();
    // ... and never for a small move.
    assertThat(republish(before, List.of(gpu(10 * GB + GB / 2, 0.53)),
        LONG_AGO)).isFalse();
    // A clock that went back counts as due.
    assertThat(republish(before, List.of(gpu(11 * GB, 0.50)),
        Duration.ofSeconds(-30))).isTrue();
  }

  @Test
  void theRuleRepublishesASlowFactChangeAtOnce() {
    List<GpuInfo> before = List.of(gpu(0, 0));
    GpuInfo unhealthy = new GpuInfo(0, "GPU-0", "H100", 80 * GB, 0, 0, "", false,
        GpuSource.NVML);
    GpuInfo smaller = new GpuInfo(0, "GPU-0", "H100", 40 * GB, 0, 0, "", true, GpuSource.NVML);
    GpuInfo sliced = new GpuInfo(0, "GPU-0", "H100", 80 * GB, 0, 0, "1g.10gb", true,
        GpuSource.NVML);
    GpuInfo other = new GpuInfo(0, "GPU-1", "H100", 80 * GB, 0, 0, "", true, GpuSource.NVML);

    for (GpuInfo changed : List.of(unhealthy, smaller, sliced, other)) {
      assertThat(republish(before, List.of(changed), JUST_PUBLISHED))
          .as("%s", changed).isTrue();
    }
    assertThat(republish(before, List.of(), JUST_PUBLISHED)).isTrue();
    assertThat(republish(List.of(), before, JUST_PUBLISHED)).isTrue();
    assertThat(republish(before, before, JUST_PUBLISHED)).isFalse();
  }
}
