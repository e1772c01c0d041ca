package dev.meshd.fabric.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuicStageConfigTest {

  @Test
  void defaultsCarryTheLargestProbeMessage() {
    QuicStageConfig config = QuicStageConfig.defaults();

    assertThat(config.maxFrameBytes()).isEqualTo(ProbeSpec.MAX_MESSAGE_BYTES);
    assertThat(config.streamWindowBytes()).isLessThanOrEqualTo(config.connectionWindowBytes());
    assertThat(config.maxUdpPayloadBytes()).isEqualTo(1350);
  }

  @Test
  void withersChangeOneThing() {
    QuicStageConfig config = QuicStageConfig.defaults().withMaxUdpPayloadBytes(8192);

    assertThat(config.maxUdpPayloadBytes()).isEqualTo(8192);
    assertThat(config.withMaxUdpPayloadBytes(1350)).isEqualTo(QuicStageConfig.defaults());
  }

  @Test
  void rejectsWhatQuicCannotCarrySayingWhatWasExpected() {
    assertThatThrownBy(() -> QuicStageConfig.defaults().withMaxUdpPayloadBytes(1000))
        .hasMessage("maxUdpPayloadBytes: 1000 (expected: 1200-65507)");
    assertThatThrownBy(() -> QuicStageConfig.defaults().withWindows(1 << 20, 2 << 20))
        .hasMessage("streamWindowBytes: 2097152 (expected: 65536-1048576)");
    assertThatThrownBy(() -> QuicStageConfig.defaults().withIdleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout: PT0S (expected: at least 1 ms)");
  }
}
