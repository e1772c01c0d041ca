package dev.meshd.fabric.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.fabric.discovery.Fixtures;
import org.junit.jupiter.api.Test;

class RocmSmiTopoParserTest {

  @Test
  void twoMi300xOverXgmi() {
    FabricInventory inventory =
        RocmSmiTopoParser.parse(Fixtures.text("rocm-smi/showtopo-2xMI300X.txt"));

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.gpuPeerLinks())
        .containsExactly(new GpuPeerLink(0, 1, GpuLinkKind.XGMI, 0));
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.XGMI);
  }

  @Test
  void pcieAndIndirectXgmiPairs() {
    String output = """
        =============================== Hops between two GPUs ====================================
               GPU0         GPU1         GPU2
        GPU0   0            1            2
        GPU1   1            0            3
        GPU2   2            3            0

        =========================== Link Type between two GPUs ===================================
               GPU0         GPU1         GPU2
        GPU0   0            XGMI         XGMI
        GPU1   XGMI         0            PCIE
        GPU2   XGMI         PCIE         0
        """;

    FabricInventory inventory = RocmSmiTopoParser.parse(output);

    assertThat(inventory.gpuPeerLinks()).containsExactly(
        new GpuPeerLink(0, 1, GpuLinkKind.XGMI, 0),
        new GpuPeerLink(0, 2, GpuLinkKind.XGMI, 0),
        new GpuPeerLink(1, 2, GpuLinkKind.PCIE, 0));
    assertThat(inventory.reasons())
        .containsExactly("rocm-smi --showtopo: GPU0-GPU2: XGMI over 2 hops");
  }

  @Test
  void unknownLinkTypeSkipsThatPair() {
    String output = """
        ===== Link Type between two GPUs =====
               GPU0   GPU1
        GPU0   0      WIFI
        GPU1   WIFI   0
        """;

    FabricInventory inventory = RocmSmiTopoParser.parse(output);

    assertThat(inventory.gpuPeerLinks()).isEmpty();
    assertThat(inventory.reasons()).containsExactly("rocm-smi --showtopo: GPU0-GPU1: unknown "
        + "link type 'WIFI' (expected: XGMI or PCIE)");
  }

  @Test
  void emptyAndGarbageGiveAReasonNotAnException() {
    assertThat(RocmSmiTopoParser.parse("").reasons())
        .containsExactly("rocm-smi --showtopo: empty output");
    assertThat(RocmSmiTopoParser.parse("ERROR: No AMD GPUs specified\n=====\n").reasons())
        .containsExactly("rocm-smi --showtopo: no 'Link Type between two GPUs' table found");
    assertThat(RocmSmiTopoParser.parse(
        "=== Link Type between two GPUs ===\n\u0000garbage\n").isEmpty()).isTrue();
  }
}
