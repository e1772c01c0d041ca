package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.agent.fabric.BuiltInTransports;
import dev.meshd.fabric.negotiate.StageTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInTransportsTest {

  @TempDir Path dir;

  @Test
  void theRdmaGroupGetsATransportWithTheConfiguredProvider() {
    var config = TestConfigs.withFabric(
        TestConfigs.agent("n1", dir, List.of(), Optional.empty()),
        List.of("nvlink", "rdma", "libfabric-tcp", "quic"), "efa");

    List<StageTransport> transports = BuiltInTransports.forConfig(config, Optional.empty());

    assertThat(transports).extracting(StageTransport::group)
        .containsExactly("nvlink", "rdma", "libfabric-tcp");
    assertThat(transports.get(1)).hasToString("rdma (efa on 127.0.0.1)");
  }

  @Test
  void autoAsksEveryRdmaProviderAndAnOrderWithoutRdmaHasNone() {
    var auto = TestConfigs.agent("n1", dir, List.of(), Optional.empty());
    var withoutRdma = TestConfigs.withFabric(auto, List.of("libfabric-tcp", "quic"), null);

    assertThat(BuiltInTransports.forConfig(auto, Optional.empty()))
        .filteredOn(t -> t.group().equals("rdma")).singleElement()
        .hasToString("rdma (verbs;ofi_rxm, efa, cxi, psm3, opx on 127.0.0.1)");
    assertThat(BuiltInTransports.forConfig(withoutRdma, Optional.empty()))
        .extracting(StageTransport::group).doesNotContain("rdma");
  }
}
