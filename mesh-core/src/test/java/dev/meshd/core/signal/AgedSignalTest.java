package dev.meshd.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.capability.RuntimeKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgedSignalTest {

  private final RuntimeSignal signal = RuntimeSignal.healthy(RuntimeKind.VLLM,
      "http://127.0.0.1:8000", List.of(), Instant.parse("2026-11-29T12:00:00Z"));

  @Test
  void aSignalIsStaleOnlyWhenOlderThanTheBound() {
    Duration bound = Duration.ofSeconds(2);
    assertThat(new AgedSignal(signal, Duration.ofMillis(1_999)).isStale(bound)).isFalse();
    assertThat(new AgedSignal(signal, Duration.ofSeconds(2)).isStale(bound)).isFalse();
    assertThat(new AgedSignal(signal, Duration.ofMillis(2_001)).isStale(bound)).isTrue();
  }

  @Test
  void aNegativeAgeIsRefused() {
    assertThatThrownBy(() -> new AgedSignal(signal, Duration.ofMillis(-1)))
        .hasMessage("age: PT-0.001S (expected: >= 0)");
  }
}
