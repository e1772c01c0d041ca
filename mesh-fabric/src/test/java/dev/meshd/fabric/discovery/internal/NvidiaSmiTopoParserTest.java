package dev.meshd.fabric.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.fabric.discovery.Fixtures;
import org.junit.jupiter.api.Test;

class NvidiaSmiTopoParserTest {

  @Test
  void fourH100WithNvlinkBetweenEveryPairIgnoringNics() {
    FabricInventory inventory =
        NvidiaSmiTopoParser.parse(Fixtures.text("nvidia-smi/topo-m-4xH100-nvlink.txt"));

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.gpuPeerLinks()).hasSize(6)
        .allSatisfy(link -> {
          assertThat(link.kind()).isEqualTo(GpuLinkKind.NVLINK);
          assertThat(link.linkCount()).isEqualTo(6);
        });
    assertThat(inventory.gpuPeerLinks()).extracting(l -> l.gpuA() + "-" + l.gpuB())
        .containsExactly("0-1", "0-2", "0-3", "1-2", "1-3", "2-3");
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.NVLINK);
  }

  @Test
  void twoGpusOverTheHostBridge() {
    FabricInventory inventory =
        NvidiaSmiTopoParser.parse(Fixtures.text("nvidia-smi/topo-m-2xPCIe-PHB.txt"));

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.gpuPeerLinks())
        .containsExactly(new GpuPeerLink(0, 1, GpuLinkKind.PHB, 0));
    assertThat(inventory.fabricClasses()).isEmpty();
  }

  @Test
  void spaceSeparatedWithTerminalCodesAndOldSocName() {
    String output = """
        \u001B[4m        GPU0    GPU1    GPU2    mlx5_0  CPU Affinity\u001B[0m
        GPU0     X      NV2     SOC     PIX     0-11
        GPU1    NV2      X      PXB     SOC     0-11
        GPU2    SOC     PXB      X      NODE    12-23
        mlx5_0  PIX     SOC     NODE     X
        """;

    FabricInventory inventory = NvidiaSmiTopoParser.parse(output);

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.gpuPeerLinks()).containsExactly(
        new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 2),
        new GpuPeerLink(0, 2, GpuLinkKind.SYS, 0),
        new GpuPeerLink(1, 2, GpuLinkKind.PXB, 0));
  }

  @Test
  void unknownCellSkipsThatPairOnly() {
    String output = "\tGPU0\tGPU1\tGPU2\n"
        + "GPU0\t X \tWARP\tPHB\n"
        + "GPU1\tWARP\t X \tPHB\n"
        + "GPU2\tPHB\tPHB\t X \n";

    FabricInventory inventory = NvidiaSmiTopoParser.parse(output);

    assertThat(inventory.gpuPeerLinks()).hasSize(2);
    assertThat(inventory.reasons()).containsExactly("nvidia-smi topo -m: GPU0-GPU1: unknown "
        + "connection 'WARP' (expected: NV#, PIX, PXB, PHB, NODE or SYS)");
  }

  @Test
  void truncatedOutputNamesTheMissingCells() {
    FabricInventory inventory = NvidiaSmiTopoParser.parse("\tGPU0\tGPU1\nGPU0\t X \n");

    assertThat(inventory.gpuPeerLinks()).isEmpty();
    assertThat(inventory.reasons()).containsExactly("nvidia-smi topo -m: no cell for GPU0-GPU1");
  }

  @Test
  void oneGpuHasNoPeers() {
    FabricInventory inventory =
        NvidiaSmiTopoParser.parse("\tGPU0\tCPU Affinity\nGPU0\t X \t0-7\n");

    assertThat(inventory.gpuPeerLinks()).isEmpty();
    assertThat(inventory.reasons())
        .containsExactly("nvidia-smi topo -m: 1 GPU(s), no peer links");
  }

  @Test
  void emptyAndGarbageGiveAReasonNotAnException() {
    assertThat(NvidiaSmiTopoParser.parse("").reasons())
        .containsExactly("nvidia-smi topo -m: empty output");
    assertThat(NvidiaSmiTopoParser.parse(null).reasons())
        .containsExactly("nvidia-smi topo -m: empty output");
    FabricInventory garbage = NvidiaSmiTopoParser.parse(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n");
    assertThat(garbage.isEmpty()).isTrue();
    assertThat(garbage.reasons()).singleElement().asString().contains("no GPU matrix found");
    assertThat(NvidiaSmiTopoParser.parse("GPU0\u0000\u00ff GPU99999999 \n\n\t").isEmpty())
        .isTrue();
  }
}
