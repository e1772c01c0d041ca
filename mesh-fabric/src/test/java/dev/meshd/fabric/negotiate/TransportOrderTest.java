package dev.meshd.fabric.negotiate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportOrderTest {

  @Test
  void quicMovesLastAndTheRestKeepTheirOrder() {
    assertThat(TransportOrder.effective(List.of("quic", "rdma", "nvlink")))
        .containsExactly("rdma", "nvlink", "quic");
    assertThat(TransportOrder.effective(List.of("libfabric-tcp")))
        .containsExactly("libfabric-tcp");
  }

  @Test
  void unknownAndRepeatedGroupsAreRejectedByName() {
    assertThatThrownBy(() -> TransportOrder.effective(List.of("tcp")))
        .hasMessage("transport: tcp (expected: nvlink, xgmi, rdma, libfabric-tcp, quic)");
    assertThatThrownBy(() -> TransportOrder.effective(List.of("rdma", "rdma")))
        .hasMessage("fabric.order: rdma twice (expected: each group once)");
  }
}
