package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real FFM binding against a fake {@code libnvidia-ml.so} compiled from
 * {@code fake-nvml/fake_nvml.c} with gcc at test time.
 */
class NvmlGpuProbeTest {

  private static final long MIB = 1024L * 1024L;

  @TempDir static Path libs;

  private static Path compile(String name, String... defines) throws Exception {
    return FakeNvml.compile(libs, name, defines);
  }

  private static int counter(Path lib, String function) throws Throwable {
    return FakeNvml.counter(lib, function);
  }

  @Test
  void readsBothFakeGpusThroughTheRealBinding() throws Throwable {
    Path lib = compile("libfake-nvml-ok.so");

    GpuDiscovery discovery = new NvmlGpuProbe(lib.toString(), Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).as(discovery.detail()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.detail()).isEqualTo("nvml: 2 GPU(s)");
    assertThat(discovery.gpus()).containsExactly(
        new GpuInfo(0, "GPU-11111111-2222-3333-4444-555555555550", "NVIDIA H100 80GB HBM3",
            81559 * MIB, 1024 * MIB, 0.42, "", true, GpuSource.NVML),
        // Utilization NOT_SUPPORTED (as on MIG-enabled GPUs) reads as 0, not as a failure.
        new GpuInfo(1, "GPU-11111111-2222-3333-4444-555555555551", "NVIDIA A100-SXM4-40GB",
            40 * 1024 * MIB, 0, 0.0, "", true, GpuSource.NVML));
    // Every successful init is paired with a shutdown.
    assertThat(counter(lib, "fake_nvml_active")).isZero();
    assertThat(counter(lib, "fake_nvml_shutdown_calls"))
        .isEqualTo(counter(lib, "fake_nvml_init_calls")).isEqualTo(1);
  }

  @Test
  void repeatedDiscoveriesReuseTheLoadedLibrary() throws Throwable {
    Path lib = compile("libfake-nvml-repeat.so");
    NvmlGpuProbe probe = new NvmlGpuProbe(lib.toString(), Duration.ofSeconds(10));

    for (int i = 0; i < 3; i++) {
      assertThat(probe.discover().gpus()).hasSize(2);
    }

    assertThat(counter(lib, "fake_nvml_init_calls")).isEqualTo(3);
    assertThat(counter(lib, "fake_nvml_active")).isZero();
  }

  @Test
  void initErrorFailsWithTheFunctionAndNvmlsTextAndSkipsShutdown() throws Throwable {
    Path lib = compile("libfake-nvml-no-driver.so", "FAKE_INIT_RESULT=9");

    GpuDiscovery discovery = new NvmlGpuProbe(lib.toString(), Duration.ofSeconds(10)).discover();

    assertThat(discovery).isEqualTo(
        GpuDiscovery.failed("NVML: nvmlInit_v2: Driver Not Loaded (9)"));
    assertThat(counter(lib, "fake_nvml_shutdown_calls")).isZero();
  }

  @Test
  void aLostGpuIsSkippedAndNamedWhileTheOtherIsReported() throws Throwable {
    Path lib = compile("libfake-nvml-lost.so", "FAKE_LOST_GPU");

    GpuDiscovery discovery = new NvmlGpuProbe(lib.toString(), Duration.ofSeconds(10)).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).extracting(GpuInfo::index).containsExactly(0);
    assertThat(discovery.detail())
        .isEqualTo("nvml: 1 GPU(s); skipped GPU 1: nvmlDeviceGetUUID: GPU is lost (15)");
    assertThat(counter(lib, "fake_nvml_active")).isZero();
  }

  @Test
  void aHungDriverFailsAtTheTimeoutAndLaterCallsDoNotPileUp() throws Throwable {
    Path lib = compile("libfake-nvml-hang.so", "FAKE_HANG_SECONDS=3");
    NvmlGpuProbe probe = new NvmlGpuProbe(lib.toString(), Duration.ofMillis(300));

    long start = System.nanoTime();
    GpuDiscovery first = probe.discover();
    GpuDiscovery second = probe.discover();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(first).isEqualTo(
        GpuDiscovery.failed("NVML: no answer within 300ms (is the driver hung?)"));
    assertThat(second.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(second.detail()).contains("an earlier call has not returned");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void missingLibraryIsAbsentNotAnError() {
    GpuDiscovery byName =
        new NvmlGpuProbe("libnvidia-ml-does-not-exist.so.1", Duration.ofSeconds(1)).discover();
    assertThat(byName).isEqualTo(GpuDiscovery.absent(
        "libnvidia-ml-does-not-exist.so.1 not found: no NVIDIA driver"));

    GpuDiscovery byPath =
        new NvmlGpuProbe(libs.resolve("nope/libnvidia-ml.so.1").toString(), Duration.ofSeconds(1))
            .discover();
    assertThat(byPath.status()).isEqualTo(GpuDiscovery.Status.ABSENT);
  }

  @Test
  void aLibraryWithoutNvmlFunctionsFails() {
    // libc loads fine but is not NVML: a driver too old (or the wrong file) is a failure.
    GpuDiscovery discovery = new NvmlGpuProbe("libc.so.6", Duration.ofSeconds(1)).discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(discovery.detail()).startsWith("NVML: nvml").contains("missing from libc.so.6");
  }
}
