package dev.meshd.fabric.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.NvLinkLane;
import dev.meshd.fabric.discovery.Fixtures;
import org.junit.jupiter.api.Test;

class NvidiaSmiNvlinkParserTest {

  @Test
  void v100LanesWithInactiveOnes() {
    FabricInventory inventory =
        NvidiaSmiNvlinkParser.parse(Fixtures.text("nvidia-smi/nvlink-s-v100.txt"));

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.nvlinkLanes()).hasSize(12);
    assertThat(inventory.nvlinkLanes()).filteredOn(NvLinkLane::active).hasSize(10)
        .extracting(NvLinkLane::bytesPerSecond).containsOnly(25_781_000_000L);
    assertThat(inventory.nvlinkLanes()).filteredOn(lane -> !lane.active())
        .containsExactly(new NvLinkLane(0, 3, false, 0), new NvLinkLane(1, 2, false, 0));
    assertThat(inventory.gpuPeerLinks()).isEmpty();
  }

  @Test
  void unrecognisedLinesAreCountedNotFatal() {
    FabricInventory inventory = NvidiaSmiNvlinkParser.parse("""
        Link 0: 25.781 GB/s
        GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-x)
        \t Link 0: 25 GB/s
        \t Link 1: fast
        """);

    assertThat(inventory.nvlinkLanes())
        .containsExactly(new NvLinkLane(0, 0, true, 25_000_000_000L));
    assertThat(inventory.reasons())
        .containsExactly("nvidia-smi nvlink -s: ignored 2 unrecognised line(s)");
  }

  @Test
  void gpuWithoutNvlinkSaysSo() {
    FabricInventory inventory =
        NvidiaSmiNvlinkParser.parse("GPU 0: NVIDIA L4 (UUID: GPU-y)\n");

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons())
        .containsExactly("nvidia-smi nvlink -s: no NVLink links reported");
  }

  @Test
  void emptyAndGarbageGiveAReasonNotAnException() {
    assertThat(NvidiaSmiNvlinkParser.parse(" \n").reasons())
        .containsExactly("nvidia-smi nvlink -s: empty output");
    assertThat(NvidiaSmiNvlinkParser.parse("Failed to initialize NVML: Driver/library "
        + "version mismatch").reasons()).singleElement().asString()
        .contains("no GPU lines found");
    assertThat(NvidiaSmiNvlinkParser.parse("GPU 99999: x\nLink 999999: 1 GB/s\n\u0000")
        .nvlinkLanes()).isEmpty();
  }
}
