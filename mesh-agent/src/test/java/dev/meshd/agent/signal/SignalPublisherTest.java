package dev.meshd.agent.signal;

import static dev.meshd.agent.signal.OutboundStreamTest.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.signal.GpuSignal;
import dev.meshd.proto.v1.GpuLoad;
import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher feeds one subscriber's stream from the runtime monitor and the GPU readings: a
 * GPU whose usage moved is sent like a runtime whose queue moved; a reading that says the same
 * again is not, and the next heartbeat carries its age. Manual time throughout.
 */
class SignalPublisherTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  private static final Duration READ_EVERY = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final ManualSignalTimer timer = new ManualSignalTimer();
  private final FakeSignalSource runtimes = new FakeSignalSource(List.of());
  private final GpuReadings gpus = new GpuReadings();
  private final List<SignalBatch> sent = new CopyOnWriteArrayList<>();
  private SignalPublisher publisher;

  @BeforeEach
  void setUp() {
    runtimes.set(List.of(signal(1, clock.instant())));
    gpus.accept(List.of(reading(0.50)));
    publisher = new SignalPublisher("g1", runtimes, gpus, timer, clock,
        SignalPublisher.DEFAULT_MIN_INTERVAL, new SimpleMeterRegistry());
    publisher.subscribe(new OutboundStream.Sink() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void send(SignalBatch batch) {
        sent.add(batch);
      }

      @Override
      public void complete() {}
    }, HEARTBEAT).start();
  }

  private GpuSignal reading(double utilization) {
    return new GpuSignal(0, "GPU-0", 40_000_000_000L, 80_000_000_000L, utilization, true,
        READ_EVERY, clock.instant());
  }

  @Test
  void theFirstBatchCarriesTheGpuReadingsBesideTheRuntimes() {
    assertThat(sent).hasSize(1);
    SignalBatch first = sent.getFirst();
    assertThat(first.getRuntimesCount()).isEqualTo(1);
    GpuLoad gpu = first.getGpus(0);
    assertThat(gpu.getUuid()).isEqualTo("GPU-0");
    assertThat(gpu.getUtilization()).isEqualTo(0.50);
    assertThat(gpu.getVramUsedBytes()).isEqualTo(40_000_000_000L);
    assertThat(gpu.getRefreshIntervalMicros()).isEqualTo(5_000_000);
  }

  @Test
  void aGpuWhoseUsageMovedIsSentAtOnce() {
    clock.advance(Duration.ofMillis(100));
    timer.advance(Duration.ofMillis(100));

    gpus.accept(List.of(reading(0.90)));

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).getHeartbeat()).isFalse();
    assertThat(sent.get(1).getGpus(0).getUtilization()).isEqualTo(0.90);
    assertThat(sent.get(1).getGpus(0).getAgeMicros()).isZero();
  }

  @Test
  void aReadingThatSaysTheSameSendsNothingAndTheHeartbeatCarriesItsAge() {
    clock.advance(Duration.ofMillis(600));
    timer.advance(Duration.ofMillis(600));
    gpus.accept(List.of(reading(0.50))); // read again at 600 ms, same figures

    assertThat(sent).hasSize(1);

    clock.advance(Duration.ofMillis(400));
    timer.advance(Duration.ofMillis(400));

    assertThat(sent).hasSize(2);
    SignalBatch heartbeat = sent.get(1);
    assertThat(heartbeat.getHeartbeat()).isTrue();
    // The reading taken at 600 ms, 400 ms old: not the first one's 1 s.
    assertThat(heartbeat.getGpus(0).getAgeMicros()).isEqualTo(400_000);
  }
}
