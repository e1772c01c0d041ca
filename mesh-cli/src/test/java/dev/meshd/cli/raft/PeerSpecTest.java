package dev.meshd.cli.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.cli.connect.ServerAddress;
import org.junit.jupiter.api.Test;

class PeerSpecTest {

  @Test
  void parsesIdHostAndPort() {
    assertThat(PeerSpec.parse("node4@10.0.0.4:7071"))
        .isEqualTo(new PeerSpec("node4", new ServerAddress("10.0.0.4", 7071)));
    assertThat(PeerSpec.parse("gpu-7.rack_2@[fd00::7]:7071").address().host())
        .isEqualTo("fd00::7");
  }

  @Test
  void saysWhatWasExpected() {
    assertThatThrownBy(() -> PeerSpec.parse("node4"))
        .hasMessage("\"node4\" (expected: ID@HOST:PORT, e.g. node4@127.0.0.1:7071)");
    assertThatThrownBy(() -> PeerSpec.parse("node/4@h:1"))
        .hasMessage("id: \"node/4\" (expected: letters, digits, '.', '_' and '-')");
    assertThatThrownBy(() -> PeerSpec.parse("node4@h:99999"))
        .hasMessageContaining("expected: HOST:PORT");
  }
}
