package dev.meshd.fabric.negotiate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FallbackTest {

  @Test
  void everyReasonIsReadBackFromItsLabel() {
    for (FallbackReason reason : FallbackReason.values()) {
      assertThat(Fallback.reasonOfLabel(reason.label())).contains(reason);
    }
  }

  @Test
  void aLabelFromANewerPeerBecomesATransportErrorKeepingTheLabel() {
    Fallback fallback = Fallback.fromLabel("rdma", "mtu_mismatch", "4096 vs 2048");

    assertThat(fallback.reason()).isEqualTo(FallbackReason.TRANSPORT_ERROR);
    assertThat(fallback.text()).isEqualTo("rdma: transport_error: mtu_mismatch: 4096 vs 2048");
  }

  @Test
  void theDetailOfAProbeFailureIsKeptWithoutItsLabelAndOnOneLine() {
    Fallback fallback = Fallback.of("libfabric-tcp", new ProbeFailure(
        FallbackReason.ADDRESS_INSERT_FAILED, "fi_av_insert returned -22\n(Invalid argument)"));

    assertThat(fallback.text()).isEqualTo(
        "libfabric-tcp: address_insert_failed: fi_av_insert returned -22 (Invalid argument)");
  }

  @Test
  void absencesAreNotFaults() {
    assertThat(Arrays.stream(FallbackReason.values()).filter(r ->
        !new Fallback("x", r, "").isFault()))
        .containsExactlyInAnyOrder(FallbackReason.NOT_OFFERED, FallbackReason.NOT_SAME_HOST,
            FallbackReason.NO_PEER_ACCESS, FallbackReason.NO_GPU, FallbackReason.LIBRARY_MISSING,
            FallbackReason.PROVIDER_MISSING);
  }
}
