package dev.meshd.core.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.FabricConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FabricClassTest {

  @Test
  void groupsAreExactlyTheConfigsKnownGroups() {
    assertThat(Arrays.stream(FabricClass.values()).map(FabricClass::group).distinct())
        .containsExactlyInAnyOrderElementsOf(FabricConfig.KNOWN_GROUPS);
    for (String group : FabricConfig.KNOWN_GROUPS) {
      assertThat(FabricClass.inGroup(group)).isNotEmpty();
    }
  }

  @Test
  void rdmaGroupHoldsTheRdmaClasses() {
    assertThat(FabricClass.inGroup("rdma")).containsExactly(
        FabricClass.RDMA_IB, FabricClass.RDMA_ROCE, FabricClass.EFA, FabricClass.CXI);
    assertThat(FabricClass.inGroup("nvlink")).containsExactly(FabricClass.NVLINK);
  }

  @Test
  void unknownGroupNamesTheExpectedOnes() {
    assertThatThrownBy(() -> FabricClass.inGroup("infiniband"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group: infiniband (expected: nvlink, xgmi, rdma");
  }

  @Test
  void nominalBandwidthsOrderGpuFabricsAboveNetworksAboveQuic() {
    assertThat(FabricClass.NVLINK.nominalBytesPerSecond()).isEqualTo(900_000_000_000L);
    assertThat(FabricClass.RDMA_IB.nominalBytesPerSecond()).isEqualTo(200_000_000_000L / 8);
    assertThat(FabricClass.XGMI.nominalBytesPerSecond())
        .isGreaterThan(FabricClass.RDMA_IB.nominalBytesPerSecond());
    assertThat(FabricClass.RDMA_ROCE.nominalBytesPerSecond())
        .isGreaterThan(FabricClass.LIBFABRIC_TCP.nominalBytesPerSecond());
    assertThat(FabricClass.LIBFABRIC_TCP.nominalBytesPerSecond())
        .isGreaterThan(FabricClass.QUIC.nominalBytesPerSecond());
  }
}
