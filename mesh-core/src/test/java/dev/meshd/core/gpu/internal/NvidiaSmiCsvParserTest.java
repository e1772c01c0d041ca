package dev.meshd.core.gpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvParserTest {

  private static final long MIB = 1024L * 1024L;

  static Path fixture() throws Exception {
    return Path.of(NvidiaSmiCsvParserTest.class
        .getResource("/fixtures/nvidia-smi/query-gpu-8xH100.csv").toURI());
  }

  @Test
  void parsesTheEightH100Fixture() throws Exception {
    NvidiaSmiCsvParser.Result result = NvidiaSmiCsvParser.parse(Files.readString(fixture()));

    assertThat(result.errors()).isEmpty();
    assertThat(result.gpus()).hasSize(8);
    assertThat(result.gpus()).extracting(GpuInfo::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(result.gpus()).allSatisfy(gpu -> {
      assertThat(gpu.model()).isEqualTo("NVIDIA H100 80GB HBM3");
      assertThat(gpu.vramTotalBytes()).isEqualTo(81559 * MIB);
      assertThat(gpu.source()).isEqualTo(GpuSource.NVIDIA_SMI);
      assertThat(gpu.healthy()).isTrue();
      assertThat(gpu.migProfile()).isEmpty();
    });
    assertThat(result.gpus().get(0)).isEqualTo(new GpuInfo(0,
        "GPU-00000000-0000-0000-0000-000000000000", "NVIDIA H100 80GB HBM3", 81559 * MIB,
        1024 * MIB, 0.0, "", true, GpuSource.NVIDIA_SMI));
    assertThat(result.gpus().get(1).vramUsedBytes()).isEqualTo(70211 * MIB);
    assertThat(result.gpus().get(1).utilization()).isEqualTo(0.97);
    assertThat(result.gpus().get(2).utilization()).isEqualTo(0.95);
    assertThat(result.gpus().get(4).vramUsedBytes()).isEqualTo(4 * MIB);
    // Row 6 has [N/A] for used memory and utilization: unknown reads as 0, still healthy.
    assertThat(result.gpus().get(6).vramUsedBytes()).isZero();
    assertThat(result.gpus().get(6).utilization()).isZero();
    assertThat(result.gpus().get(7).uuid()).isEqualTo("GPU-00000000-0000-0000-0000-000000000007");
  }

  @Test
  void notSupportedReadsAsZeroAndOtherPlaceholdersMarkTheGpuUnhealthy() {
    NvidiaSmiCsvParser.Result result = NvidiaSmiCsvParser.parse("""
        1, GPU-b, NVIDIA A100, 40960, [Not Supported], [Not Supported], 00000000:02:00.0
        0, GPU-a, NVIDIA A100, 40960, [GPU requires reset], [Unknown Error], 00000000:01:00.0
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.gpus()).extracting(GpuInfo::index).containsExactly(0, 1);
    assertThat(result.gpus().get(0).healthy()).isFalse();
    assertThat(result.gpus().get(1).healthy()).isTrue();
    assertThat(result.gpus().get(1).vramUsedBytes()).isZero();
  }

  @Test
  void unusableRowsAreReportedWithTheirLineAndTheOthersKept() {
    NvidiaSmiCsvParser.Result result = NvidiaSmiCsvParser.parse("""
        0, GPU-a, NVIDIA H100, 81559, 1, 2, 00000000:18:00.0

        2, GPU-c, NVIDIA H100, [N/A], 1, 2, 00000000:3A:00.0
        x, GPU-d, NVIDIA H100, 81559, 1, 2, 00000000:5D:00.0
        4, [N/A], NVIDIA H100, 81559, 1, 2, 00000000:9A:00.0
        5, GPU-f, NVIDIA H100, 81559, 1, 2
        6, GPU-g, NVIDIA H100, 81559, lots, 2, 00000000:BA:00.0
        7, GPU-h, NVIDIA H100, 81559, 1, 250, 00000000:DB:00.0
        """);

    assertThat(result.gpus()).extracting(GpuInfo::index).containsExactly(0);
    assertThat(result.errors()).containsExactly(
        "line 3: memory.total: \"[N/A]\" (expected: an integer from 0 to 8796093022207)",
        "line 4: index: \"x\" (expected: an integer from 0 to 2147483647)",
        "line 5: uuid: \"[N/A]\" (expected: a value)",
        "line 6: 6 fields (expected: 7: index, uuid, name, memory.total, memory.used, "
            + "utilization.gpu, pci.bus_id)",
        "line 7: memory.used: \"lots\" (expected: an integer from 0 to 8796093022207)",
        "line 8: utilization.gpu: \"250\" (expected: an integer from 0 to 100)");
  }

  @Test
  void emptyOutputMeansNoGpus() {
    NvidiaSmiCsvParser.Result result = NvidiaSmiCsvParser.parse("\n");

    assertThat(result.gpus()).isEmpty();
    assertThat(result.errors()).isEmpty();
  }
}
