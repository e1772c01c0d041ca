package dev.meshd.fabric.libfabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LibfabricTransportConfigTest {

  private static final LibfabricTransportConfig LOOPBACK = LibfabricTransportConfig.loopback();

  @Test
  void sendWindowKeepsAboutEightMebibytesInFlightBetweenOneAndSixteenMessages() {
    assertThat(LOOPBACK.sendWindow(1 << 20)).isEqualTo(8);
    assertThat(LOOPBACK.sendWindow(16 << 20)).isEqualTo(1);
    assertThat(LOOPBACK.sendWindow(4096)).isEqualTo(16);
  }

  @Test
  void invalidValuesAreNamedWithWhatWasExpected() {
    assertThatThrownBy(() -> LOOPBACK.withMaxMessageBytes(0))
        .hasMessage("maxMessageBytes: 0 (expected: 1-16777216)");
    assertThatThrownBy(() -> LOOPBACK.withLibrary(" "))
        .hasMessage("library: blank (expected: text)");
    assertThatThrownBy(() -> new LibfabricTransportConfig("libfabric.so.1", "tcp", "127.0.0.1",
        1024, 0, 1, Duration.ofSeconds(1)))
        .hasMessage("receiveDepth: 0 (expected: 1-64)");
    assertThatThrownBy(() -> new LibfabricTransportConfig("libfabric.so.1", "tcp", "127.0.0.1",
        1024, 4, 1, Duration.ZERO))
        .hasMessage("sessionTimeout: PT0S (expected: > 0)");
  }

  @Test
  void pingPongFiguresAreComputedAsFiPingpongComputesThem() {
    // fi_pingpong's recorded 1 MiB row: 1k iterations, 0.47 s, 4461.30 MB/sec, 235.04 usec/xfer.
    PingPongResult row = new PingPongResult(1 << 20, 1000, Duration.ofNanos(470_080_000));

    assertThat(row.microsPerTransfer()).isCloseTo(235.04, within(0.01));
    assertThat(row.megabytesPerSecond()).isCloseTo(4461.3, within(0.1));
  }
}
