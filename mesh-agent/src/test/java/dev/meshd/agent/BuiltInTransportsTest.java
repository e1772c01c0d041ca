package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.agent.fabric.BuiltInTransports;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stage transports {@code fabric.order} builds into an agent. */
class BuiltInTransportsTest {

  @TempDir Path dir;

  private List<StageTransport> forOrder(List<String> order) {
    AgentConfig config = TestConfigs.withFabricOrder(
        TestConfigs.agent("n1", dir, List.of(), Optional.empty()), order);
    return BuiltInTransports.forConfig(config, Optional.empty());
  }

  @Test
  void everyGroupOfTheOrderIsBuiltIn() {
    assertThat(BuiltInTransports.GROUPS)
        .containsExactly("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");
    // quic needs the agent's QUIC plane, absent here.
    assertThat(forOrder(List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic")))
        .extracting(StageTransport::group)
        .containsExactly("nvlink", "xgmi", "rdma", "libfabric-tcp");
  }

  @Test
  void theXgmiGroupBuildsTheHipTransportWhichSaysWhyWhereThereIsNoRocm() {
    List<StageTransport> transports = forOrder(List.of("nvlink", "xgmi"));

    assertThat(transports).extracting(StageTransport::group).containsExactly("nvlink", "xgmi");
    StageTransport xgmi = transports.get(1);
    LinkContext sameHost = new LinkContext(new LinkEnd("n1", "host-a", List.of(0)),
        new LinkEnd("n2", "host-a", List.of(1)), "pp/0->1");
    try {
      xgmi.offer(sameHost);
      // A host with ROCm and a GPU offers XGMI: nothing more to check here.
    } catch (ProbeFailure failure) {
      assertThat(failure.reason()).isIn(FallbackReason.LIBRARY_MISSING, FallbackReason.NO_GPU);
      if (failure.reason() == FallbackReason.LIBRARY_MISSING) {
        assertThat(failure).hasMessage("library_missing: libamdhip64.so not found: no HIP "
            + "runtime (ROCm) on this node; XGMI probe skipped");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anOrderWithoutTheGpuGroupsBuildsNoGpuTransport() {
    assertThat(forOrder(List.of("rdma", "quic"))).extracting(StageTransport::group)
        .containsExactly("rdma");
  }

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
