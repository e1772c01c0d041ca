package dev.meshd.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerAddressTest {

  @Test
  void parsesHostAndPort() {
    assertThat(ServerAddress.parse("agent-1.example:7070"))
        .isEqualTo(new ServerAddress("agent-1.example", 7070));
  }

  @Test
  void parsesBracketedIpv6AndPrintsItBack() {
    ServerAddress address = ServerAddress.parse("[::1]:7070");

    assertThat(address.host()).isEqualTo("::1");
    assertThat(address).hasToString("[::1]:7070");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "host", ":7070", "host:", "host:0", "host:65536", "host:x", "::1:7070"})
  void rejectsAnythingElseSayingWhatIsExpected(String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServerAddress.parse(value))
        .withMessage("\"" + value
            + "\" (expected: HOST:PORT with a port of 1-65535, e.g. 127.0.0.1:7070)");
  }
}
