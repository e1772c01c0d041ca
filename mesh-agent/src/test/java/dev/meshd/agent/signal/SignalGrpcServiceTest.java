package dev.meshd.agent.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignalGrpcServiceTest {

  @Test
  void theHeartbeatAskedForIsClampedAndZeroMeansTheDefault() {
    Duration fallback = Duration.ofSeconds(1);
    assertThat(SignalGrpcService.heartbeat(0, fallback)).isEqualTo(fallback);
    assertThat(SignalGrpcService.heartbeat(-5, fallback)).isEqualTo(fallback);
    assertThat(SignalGrpcService.heartbeat(250, fallback)).isEqualTo(Duration.ofMillis(250));
    assertThat(SignalGrpcService.heartbeat(1, fallback)).isEqualTo(Duration.ofMillis(100));
    assertThat(SignalGrpcService.heartbeat(60_000, fallback)).isEqualTo(Duration.ofSeconds(10));
  }
}
