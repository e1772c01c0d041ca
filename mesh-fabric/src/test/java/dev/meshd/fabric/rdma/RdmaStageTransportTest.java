package dev.meshd.fabric.rdma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.libfabric.Libfabric;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.libfabric.LinkLayerLookup;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code rdma} transport through its seam. With the provider named explicitly as
 * {@code tcp} (which has {@code FI_RMA}), offer, accept and probe run the real RDMA path on
 * loopback: registration, remote key and address in the answer, {@code fi_write}, completion
 * and the CRC32C of each written slot.
 */
@Timeout(60)
class RdmaStageTransportTest {

  private static final LinkEnd UP = new LinkEnd("node1", "host-a", List.of(0));
  private static final LinkEnd DOWN = new LinkEnd("node2", "host-b", List.of(0));
  private static final LinkContext AT_UPSTREAM = new LinkContext(UP, DOWN, "test/0->1");
  private static final LinkContext AT_DOWNSTREAM = new LinkContext(DOWN, UP, "test/0->1");
  private static final ProbeSpec SPEC = new ProbeSpec(8, 256 << 10, 32, Duration.ofSeconds(20));

  static RdmaStageTransport transport(String setting) {
    return new RdmaStageTransport(
        RdmaTransportConfig.forSetting(setting, LibfabricTransportConfig.loopback()),
        LinkLayerLookup.none());
  }

  @Test
  void theRmaPathMovesVerifiedBytesOverTcpOnLoopback() throws Exception {
    Libfabric.assumeInstalled();
    RdmaStageTransport up = transport("tcp");
    RdmaStageTransport down = transport("tcp");

    TransportEndpoint offer = up.offer(AT_UPSTREAM);
    try (Acceptance accepted = down.accept(offer, AT_DOWNSTREAM)) {
      RdmaEndpointData.Answer answer = RdmaEndpointData.readAnswer(accepted.endpoint().data());
      ProbeResult result = up.probe(AT_UPSTREAM, accepted.endpoint(), SPEC);

      assertThat(RdmaEndpointData.readOffer(offer.data()))
          .extracting(OfferedProvider::provider).containsExactly("tcp;ofi_rxm");
      assertThat(answer.provider().provider()).isEqualTo("tcp;ofi_rxm");
      assertThat(answer.address()).hasSize(16);
      assertThat(answer.target().slots()).isPositive();
      assertThat(accepted.endpoint().fabricClass()).isEqualTo(FabricClass.LIBFABRIC_TCP);
      assertThat(result.bytesVerified()).isEqualTo(SPEC.totalBytes());
      assertThat(result.bytesPerSecond()).isPositive();
      assertThat(result.rtt()).isPositive().isLessThan(SPEC.deadline());
    }
  }

  @Test
  void autoOnAHostWithoutAnRdmaProviderIsProviderMissingWithEachProvidersWords() {
    Libfabric.assumeInstalled();

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> transport("auto").offer(AT_UPSTREAM));

    // Debian's libfabric has no verbs, efa, cxi, psm3 or opx, and this machine no RDMA NIC.
    assertThat(failure.reason()).isEqualTo(FallbackReason.PROVIDER_MISSING);
    assertThat(failure).hasMessageStartingWith("provider_missing: no RDMA provider on this "
        + "node: verbs;ofi_rxm: fi_getinfo: -61");
    assertThat(failure).hasMessageContaining("; opx: fi_getinfo: -61");
  }

  @Test
  void aProviderTheEndsDoNotShareIsProviderMissingNamingBoth() throws Exception {
    Libfabric.assumeInstalled();
    TransportEndpoint efaOnly = new TransportEndpoint(FabricClass.EFA, RdmaEndpointData.offer(
        List.of(new OfferedProvider("efa", "efa", "efa", "rdmap0s6-rdm"))));

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> transport("tcp").accept(efaOnly, AT_DOWNSTREAM));

    assertThat(failure.reason()).isEqualTo(FallbackReason.PROVIDER_MISSING);
    assertThat(failure).hasMessage("provider_missing: no RDMA provider both ends have: node1 "
        + "offers [efa], node2 has [tcp]");
  }

  @Test
  void theFirstProviderOfTheDownstreamsOrderThatBothHaveIsChosen() {
    OfferedProvider verbs = new OfferedProvider("verbs;ofi_rxm", "verbs;ofi_rxm", "IB-0x0", "mlx5_0");
    OfferedProvider efa = new OfferedProvider("efa", "efa", "efa", "rdmap0s6-rdm");
    OfferedProvider cxi = new OfferedProvider("cxi", "cxi", "cxi", "cxi0");

    assertThat(RdmaStageTransport.choose(List.of(verbs, efa, cxi), List.of(cxi, efa)))
        .contains(efa);
    assertThat(RdmaStageTransport.choose(List.of(verbs), List.of(cxi, efa))).isEmpty();
  }

  @Test
  void withoutTheLibraryEveryStepSaysSo() {
    RdmaStageTransport nowhere = new RdmaStageTransport(RdmaTransportConfig.forSetting("auto",
        LibfabricTransportConfig.loopback().withLibrary("/nonexistent/libfabric.so.1")),
        LinkLayerLookup.none());
    TransportEndpoint offer = new TransportEndpoint(FabricClass.EFA, RdmaEndpointData.offer(
        List.of(new OfferedProvider("efa", "efa", "efa", "rdmap0s6-rdm"))));

    ProbeFailure offered = catchThrowableOfType(ProbeFailure.class,
        () -> nowhere.offer(AT_UPSTREAM));
    ProbeFailure accepted = catchThrowableOfType(ProbeFailure.class,
        () -> nowhere.accept(offer, AT_DOWNSTREAM));

    assertThat(offered.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(accepted.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
  }

  @Test
  void theSettingNamesTheProvidersAsked() {
    LibfabricTransportConfig endpoints = LibfabricTransportConfig.loopback();

    assertThat(RdmaTransportConfig.forSetting("auto", endpoints).providers())
        .containsExactly("verbs;ofi_rxm", "efa", "cxi", "psm3", "opx");
    assertThat(RdmaTransportConfig.forSetting("verbs", endpoints).providers())
        .containsExactly("verbs;ofi_rxm");
    assertThat(RdmaTransportConfig.forSetting(" efa ", endpoints).providers())
        .containsExactly("efa");
  }
}
