package dev.meshd.core.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real FFM binding against a fake {@code libnvidia-ml.so} compiled from
 * {@code fake-nvml/fake_nvml.c} with gcc at test time.
 */
@SuppressWarnings("restricted")
class NvmlGpuProbeTest {

  private static final long MIB = 1024L * 1024L;

  @TempDir static Path libs;

  private static Path source;

  @BeforeAll
  static void copySource() throws IOException {
    source = libs.resolve("fake_nvml.c");
    try (InputStream in = NvmlGpuProbeTest.class.getResourceAsStream("/fake-nvml/fake_nvml.c")) {
      Files.copy(in, source);
    }
  }

  /**
   * Compiles a variant into its own file. No soname is set, so every variant loads as a library
   * of its own, with its own counters.
   */
  private static Path compile(String name, String... defines) throws Exception {
    Assumptions.assumeTrue(gccAvailable(), "gcc is not installed: cannot build the fake NVML");
    Path lib = libs.resolve(name);
    List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-o",
        lib.toString(), source.toString()));
    for (String define : defines) {
      command.add("-D" + define);
    }
    Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return lib;
  }

  private static boolean gccAvailable() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Reads one of the fake's test counters, through a second handle on the same library. */
  private static int counter(Path lib, String function) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MethodHandle handle = Linker.nativeLinker().downcallHandle(
          SymbolLookup.libraryLookup(lib, arena).find(function).orElseThrow(),
          FunctionDescriptor.of(JAVA_INT));
      return (int) handle.invokeExact();
    }
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
