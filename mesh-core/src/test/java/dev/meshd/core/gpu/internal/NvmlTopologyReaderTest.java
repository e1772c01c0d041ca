package dev.meshd.core.gpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.GpuLinkKind;
import org.junit.jupiter.api.Test;

class NvmlTopologyReaderTest {

  @Test
  void commonAncestorLevelsMapToTheTopoMatrixNames() {
    assertThat(NvmlTopologyReader.pcieKind(0)).contains(GpuLinkKind.PIX); // INTERNAL
    assertThat(NvmlTopologyReader.pcieKind(10)).contains(GpuLinkKind.PIX); // SINGLE
    assertThat(NvmlTopologyReader.pcieKind(20)).contains(GpuLinkKind.PXB); // MULTIPLE
    assertThat(NvmlTopologyReader.pcieKind(30)).contains(GpuLinkKind.PHB); // HOSTBRIDGE
    assertThat(NvmlTopologyReader.pcieKind(40)).contains(GpuLinkKind.NODE); // NODE
    assertThat(NvmlTopologyReader.pcieKind(50)).contains(GpuLinkKind.SYS); // SYSTEM
    assertThat(NvmlTopologyReader.pcieKind(35)).isEmpty();
  }

  @Test
  void p2pStatusesInWords() {
    assertThat(NvmlTopologyReader.p2pStatusName(0)).isEqualTo("OK");
    assertThat(NvmlTopologyReader.p2pStatusName(4)).isEqualTo("disabled by regkey");
    assertThat(NvmlTopologyReader.p2pStatusName(42)).isEqualTo("unknown (42)");
  }
}
