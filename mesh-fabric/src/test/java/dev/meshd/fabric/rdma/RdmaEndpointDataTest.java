package dev.meshd.fabric.rdma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class RdmaEndpointDataTest {

  private static final OfferedProvider VERBS =
      new OfferedProvider("verbs;ofi_rxm", "verbs;ofi_rxm", "IB-0xfe80000000000000", "mlx5_0");
  private static final OfferedProvider EFA =
      new OfferedProvider("efa", "efa", "efa", "rdmap0s6-rdm");

  @Test
  void anOfferRoundTrips() throws ProbeFailure {
    EndpointData data = RdmaEndpointData.offer(List.of(VERBS, EFA));

    assertThat(RdmaEndpointData.readOffer(data)).containsExactly(VERBS, EFA);
  }

  @Test
  void anAnswerCarriesTheAddressKeyAndRegion() throws ProbeFailure {
    byte[] address = {2, 0, 0x12, 0x34, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    RemoteTarget target = new RemoteTarget(0xC0FFEEL, 0x7f12_3456_7000L, 1 << 20, 8);

    RdmaEndpointData.Answer read = RdmaEndpointData.readAnswer(RdmaEndpointData.answer(
        new RdmaEndpointData.Answer(VERBS, address, target)));

    assertThat(read.provider()).isEqualTo(VERBS);
    assertThat(read.address()).containsExactly(address);
    assertThat(read.target()).isEqualTo(target);
    assertThat(read.target().slotAddress(2)).isEqualTo(0x7f12_3456_7000L + (2 << 20));
  }

  @Test
  void malformedDataIsATransportErrorNotAnException() {
    EndpointData truncated = EndpointData.of(new byte[] {1, 2, 0, 3});
    EndpointData wrongVersion = EndpointData.of(new byte[] {9, 1});

    ProbeFailure offer = catchThrowableOfType(ProbeFailure.class,
        () -> RdmaEndpointData.readOffer(truncated));
    ProbeFailure answer = catchThrowableOfType(ProbeFailure.class,
        () -> RdmaEndpointData.readAnswer(wrongVersion));

    assertThat(offer.reason()).isEqualTo(FallbackReason.TRANSPORT_ERROR);
    assertThat(offer).hasMessageStartingWith("transport_error: malformed rdma offer (4 bytes)");
    assertThat(answer).hasMessageContaining("version 9 (expected: 1)");
  }
}
