package dev.meshd.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcKeepAliveTest {

  @Test
  void theServerAcceptsTheClientsPingsWithRoomForJitter() {
    // A ping sooner than the permitted interval is a strike; two strikes end the connection.
    assertThat(GrpcKeepAlive.SERVER_PERMITTED_INTERVAL.multipliedBy(2))
        .isLessThanOrEqualTo(GrpcKeepAlive.CLIENT_INTERVAL);
  }

  @Test
  void theClientIntervalIsOneGrpcHonours() {
    // gRPC Java raises shorter keepalive times to 10 s.
    assertThat(GrpcKeepAlive.CLIENT_INTERVAL).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(GrpcKeepAlive.CLIENT_TIMEOUT).isLessThan(GrpcKeepAlive.CLIENT_INTERVAL);
    assertThat(GrpcKeepAlive.SERVER_TIMEOUT).isLessThan(GrpcKeepAlive.SERVER_INTERVAL);
  }
}
