package dev.meshd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiPingpongOutputTest {

  @Test
  void recordedRdmClientTableGivesEverySize() throws IOException {
    List<FiPingpongOutput.Row> rows = FiPingpongOutput.parse(fixture("fi_pingpong-cli_rdm.txt"));

    assertThat(rows).hasSize(46);
    assertThat(rows.getFirst()).isEqualTo(new FiPingpongOutput.Row(0, 0.04, 0.00, 20.64));
    assertThat(rows).contains(
        new FiPingpongOutput.Row(1536, 0.02, 139.63, 11.00),
        new FiPingpongOutput.Row(1 << 20, 0.60, 3500.94, 299.51));
    assertThat(rows.getLast().bytes()).isEqualTo(6L << 20);
  }

  @Test
  void recordedSingleSizeServerTable() throws IOException {
    assertThat(FiPingpongOutput.parse(fixture("fi_pingpong-srv_s.txt")))
        .containsExactly(new FiPingpongOutput.Row(1 << 20, 11.44, 183.32, 5719.88));
  }

  @Test
  void msgClientTableAndNonRowsAreSkipped() throws IOException {
    assertThat(FiPingpongOutput.parse(fixture("fi_pingpong-cli_msg.txt"))).hasSize(46);
    assertThat(FiPingpongOutput.parse("fi_getinfo: -61\nbytes #sent\n")).isEmpty();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = FiPingpongOutputTest.class.getResourceAsStream(
        "/fixtures/libfabric/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
