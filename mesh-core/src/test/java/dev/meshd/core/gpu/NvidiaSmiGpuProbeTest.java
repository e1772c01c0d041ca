package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the probe against fake {@code nvidia-smi} scripts put on an injected PATH. */
class NvidiaSmiGpuProbeTest {

  private static final String EXPECTED_ARGS = "--query-gpu=index,uuid,name,memory.total,"
      + "memory.used,utilization.gpu,pci.bus_id --format=csv,noheader,nounits";

  @TempDir Path bin;

  private Path fixture() throws Exception {
    return Path.of(getClass().getResource("/fixtures/nvidia-smi/query-gpu-8xH100.csv").toURI());
  }

  private Path script(String name, String body) throws Exception {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** PATH with the fake first; the real PATH after it so that the script finds cat and sleep. */
  private Map<String, String> pathWithFake() {
    return Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  private NvidiaSmiGpuProbe probe(Duration timeout) {
    return new NvidiaSmiGpuProbe(Path.of("nvidia-smi"), timeout, pathWithFake());
  }

  @Test
  void readsTheGpusTheToolReports() throws Exception {
    script("nvidia-smi", """
        if [ "$*" != "%s" ]; then echo "unexpected arguments: $*" >&2; exit 2; fi
        cat '%s'
        """.formatted(EXPECTED_ARGS, fixture()));

    GpuDiscovery discovery = probe(Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).as(discovery.detail()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).hasSize(8);
    assertThat(discovery.gpus()).extracting(GpuInfo::source).containsOnly(GpuSource.NVIDIA_SMI);
    assertThat(discovery.gpus().get(1).vramUsedBytes()).isEqualTo(70211L * 1024 * 1024);
    assertThat(discovery.detail()).isEqualTo("nvidia-smi: 8 GPU(s)");
  }

  @Test
  void aConfiguredPathIsRunWithoutSearchingPath() throws Exception {
    Path tool = script("my-smi", "cat '" + fixture() + "'");

    GpuDiscovery discovery =
        new NvidiaSmiGpuProbe(tool, Duration.ofSeconds(10), pathWithFake()).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).hasSize(8);
  }

  @Test
  void missingBinaryIsAbsentNotAnError() {
    GpuDiscovery onPath =
        new NvidiaSmiGpuProbe(Path.of("nvidia-smi"), Duration.ofSeconds(1),
            Map.of("PATH", bin.toString())).discover();
    assertThat(onPath).isEqualTo(GpuDiscovery.absent("nvidia-smi not found on PATH"));

    GpuDiscovery byPath = new NvidiaSmiGpuProbe(bin.resolve("nope/nvidia-smi"),
        Duration.ofSeconds(1), Map.of()).discover();
    assertThat(byPath.status()).isEqualTo(GpuDiscovery.Status.ABSENT);
    assertThat(byPath.detail()).endsWith("nope/nvidia-smi not found or not executable");
  }

  @Test
  void nonZeroExitFailsWithTheFirstStderrLine() throws Exception {
    script("nvidia-smi", """
        echo "Failed to initialize NVML: Driver/library version mismatch" >&2
        echo "NVML library version: 550.54" >&2
        exit 9
        """);

    GpuDiscovery discovery = probe(Duration.ofSeconds(10)).discover();

    assertThat(discovery).isEqualTo(GpuDiscovery.failed("nvidia-smi exited with status 9: "
        + "Failed to initialize NVML: Driver/library version mismatch"));
  }

  @Test
  void nonZeroExitWithOnlyStdoutUsesStdout() throws Exception {
    // nvidia-smi prints "no driver" on stdout.
    script("nvidia-smi", """
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
        exit 9
        """);

    GpuDiscovery discovery = probe(Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(discovery.detail()).contains("couldn't communicate with the NVIDIA driver");
  }

  @Test
  void hangingToolIsKilledAtTheTimeout() throws Exception {
    script("nvidia-smi", "sleep 60");

    long start = System.nanoTime();
    GpuDiscovery discovery = probe(Duration.ofMillis(500)).discover();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(discovery).isEqualTo(GpuDiscovery.failed(
        "nvidia-smi: no answer within 500ms (killed; is the driver hung?)"));
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void partlyUnusableOutputKeepsTheGoodRows() throws Exception {
    script("nvidia-smi", """
        echo "0, GPU-a, NVIDIA H100, 81559, 1, 2, 00000000:18:00.0"
        echo "1, GPU-b, NVIDIA H100, [Unknown Error], 1, 2, 00000000:2A:00.0"
        """);

    GpuDiscovery discovery = probe(Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).singleElement()
        .satisfies(gpu -> assertThat(gpu.uuid()).isEqualTo("GPU-a"));
    assertThat(discovery.detail()).contains("skipped line 2: memory.total");
  }

  @Test
  void whollyUnusableOutputFails() throws Exception {
    script("nvidia-smi", "echo 'this is not csv'");

    GpuDiscovery discovery = probe(Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(discovery.detail()).startsWith("nvidia-smi: unusable output: line 1: 1 fields");
  }
}
