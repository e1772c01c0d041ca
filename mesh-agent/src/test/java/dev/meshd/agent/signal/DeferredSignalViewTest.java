package dev.meshd.agent.signal;

import static dev.meshd.agent.signal.OutboundStreamTest.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.SignalView;
import dev.meshd.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredSignalViewTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));

  @Test
  void beforeTheViewStartsThereAreNoSignalsAndNoVersion() {
    DeferredSignalView deferred = new DeferredSignalView();

    assertThat(deferred.signals("n1")).isEmpty();
    assertThat(deferred.gpus("n1")).isEmpty();
    assertThat(deferred.version()).isEqualTo(SignalView.UNVERSIONED);
  }

  @Test
  void onceSetItAnswersAsTheViewItsVersionIncluded() {
    FakeSignalSource runtimes = new FakeSignalSource(List.of(signal(2, clock.instant())));
    GpuReadings gpus = new GpuReadings();
    LocalSignalView local = new LocalSignalView("n1", runtimes, gpus, clock);
    DeferredSignalView deferred = new DeferredSignalView();
    deferred.set(local);

    gpus.accept(List.of(new GpuSignal(0, "GPU-0", 1, 2, 0.5, true, Duration.ofSeconds(5),
        clock.instant())));

    assertThat(deferred.signals("n1")).isEqualTo(local.signals("n1"));
    assertThat(deferred.gpus("n1")).isEqualTo(local.gpus("n1")).hasSize(1);
    // A router keeps its candidate columns while this number stands still.
    assertThat(deferred.version()).isEqualTo(local.version()).isNotEqualTo(SignalView.UNVERSIONED);
  }
}
