package dev.meshd.fabric.nvlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real CUDA binding and probe against a fake {@code libcuda.so} whose GPUs are host
 * memory ({@code fake-cuda/fake_cuda.c}), loaded by path.
 */
class NvlinkProbeTest {

  private static final ProbeSpec SMALL = new ProbeSpec(5, 1 << 20, 8, Duration.ofSeconds(10));

  @TempDir static Path libs;

  private static ProbeFailure failure(ThrowingCallable probe) {
    Throwable thrown = catchThrowable(probe);
    assertThat(thrown).isInstanceOf(ProbeFailure.class);
    return (ProbeFailure) thrown;
  }

  /** Nothing the probe took is still held: no buffer, no retained context. */
  private static void assertReleased(FakeCuda cuda) throws Throwable {
    assertThat(cuda.get("fake_cuda_live_allocations")).isZero();
    assertThat(cuda.get("fake_cuda_retained_contexts")).isZero();
  }

  @Test
  void copiesVerifiesAndMeasuresBetweenTwoPeers() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-ok.so")) {
      NvlinkProbe probe = new NvlinkProbe(cuda.path());

      ProbeResult result = probe.probe(0, 1, SMALL);

      assertThat(result.bytesVerified()).isEqualTo(8L << 20);
      assertThat(result.bytesPerSecond()).isPositive();
      assertThat(result.rtt()).isPositive();
      assertThat(result.elapsed()).isGreaterThanOrEqualTo(result.rtt());
      // One warm-up copy, two per round trip, one per message; all with peer access enabled.
      assertThat(cuda.get("fake_cuda_peer_copies")).isEqualTo(1 + 2 * 5 + 8);
      assertThat(cuda.get("fake_cuda_unpeered_copies")).isZero();
      assertReleased(cuda);

      // Peer access enabled by the first probe was reset with its contexts; a second probe of
      // the same pair, the other way, works the same.
      assertThat(probe.probe(1, 0, SMALL).bytesVerified()).isEqualTo(8L << 20);
      assertThat(cuda.get("fake_cuda_unpeered_copies")).isZero();
      assertReleased(cuda);
    }
  }

  @Test
  void gpusAreNamedInPciBusOrderNotCudaOrder() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-order.so")) {
      // CUDA's ordinal 0 sits on the later bus, as when CUDA orders the fastest GPU first.
      cuda.set("fake_cuda_set_pci_bus", 0, 0x47);
      cuda.set("fake_cuda_set_pci_bus", 1, 0x07);

      new NvlinkProbe(cuda.path()).probe(0, 1, SMALL);

      // The bulk goes from GPU 0 in PCI order, which is CUDA ordinal 1.
      assertThat(cuda.get("fake_cuda_last_peer_source")).isEqualTo(1);
    }
  }

  @Test
  void gpusThatCannotBePeersAreNoPeerAccess() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-no-peer.so")) {
      cuda.set("fake_cuda_set_device_count", 3);
      cuda.set("fake_cuda_set_peer_access", 2, 0, 0);
      NvlinkProbe probe = new NvlinkProbe(cuda.path());

      ProbeFailure failure = failure(() -> probe.probe(0, 2, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.NO_PEER_ACCESS);
      assertThat(failure).hasMessage("no_peer_access: GPU 0 and GPU 2 cannot access each other "
          + "as peers (cuDeviceCanAccessPeer)");
      assertThat(cuda.get("fake_cuda_peer_copies")).isZero();
      assertReleased(cuda);
      assertThat(probe.probe(0, 1, SMALL).bytesVerified()).isEqualTo(8L << 20);
    }
  }

  @Test
  void corruptedBytesAreAChecksumMismatch() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-corrupt.so")) {
      cuda.set("fake_cuda_set_corrupt", 1);

      ProbeFailure failure = failure(() -> new NvlinkProbe(cuda.path()).probe(0, 1, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
      assertThat(failure.getMessage()).startsWith("checksum_mismatch: message 1 of 8: CRC32C ")
          .endsWith("after host -> GPU 0 -> GPU 1 -> host");
      assertReleased(cuda);
    }
  }

  @Test
  void noCudaDriverIsLibraryMissingAndSaysTheProbeWasSkipped() {
    // A name no machine has, so that the test means the same where a real driver is installed.
    String absent = "libcuda-meshd-test-absent.so.1";

    ProbeFailure failure = failure(() -> new NvlinkProbe(absent).probe(0, 1, SMALL));

    assertThat(failure.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(failure).hasMessage("library_missing: " + absent + " not found: no CUDA driver on "
        + "this node; NVLink probe skipped");
    assertThat(NvlinkProbe.DEFAULT_LIBRARY).isEqualTo("libcuda.so.1");
  }

  @Test
  void aLibraryThatIsNotTheCudaDriverIsLibraryMissing() {
    ProbeFailure failure = failure(() -> new NvlinkProbe("libc.so.6").probe(0, 1, SMALL));

    assertThat(failure.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(failure).hasMessage("library_missing: cuInit: missing from libc.so.6 (expected: a "
        + "CUDA driver for CUDA 7.0 or newer)");
  }

  @Test
  void aDriverWithoutGpusOrWithoutThatGpuIsNoGpu() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-no-gpu.so")) {
      NvlinkProbe probe = new NvlinkProbe(cuda.path());

      ProbeFailure absent = failure(() -> probe.probe(0, 3, SMALL));
      assertThat(absent.reason()).isEqualTo(FallbackReason.NO_GPU);
      assertThat(absent).hasMessage("no_gpu: GPU 3 not present: CUDA sees 2 GPU(s)");

      cuda.set("fake_cuda_set_init_result", 100);
      ProbeFailure none = failure(() -> probe.probe(0, 1, SMALL));
      assertThat(none.reason()).isEqualTo(FallbackReason.NO_GPU);
      assertThat(none).hasMessage("no_gpu: cuInit: no CUDA-capable device is detected (100)");
    }
  }

  @Test
  void aSlowLinkStopsAtTheDeadlineAndStillReleasesEverything() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-slow.so")) {
      cuda.set("fake_cuda_set_copy_delay_ms", 30);
      ProbeSpec spec = new ProbeSpec(2, 4096, 50, Duration.ofMillis(300));

      long start = System.nanoTime();
      ProbeFailure failure = failure(() -> new NvlinkProbe(cuda.path()).probe(0, 1, spec));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertReleased(cuda));
    }
  }

  @Test
  void aHungDriverFailsAtTheDeadlineAndLaterProbesDoNotPileUp() throws Throwable {
    try (FakeCuda cuda = FakeCuda.compile(libs, "libfake-cuda-hung.so")) {
      cuda.set("fake_cuda_set_copy_delay_ms", 2000);
      NvlinkProbe probe = new NvlinkProbe(cuda.path());
      ProbeSpec spec = new ProbeSpec(1, 4096, 1, Duration.ofMillis(200));

      ProbeFailure first = failure(() -> probe.probe(0, 1, spec));
      ProbeFailure second = failure(() -> probe.probe(0, 1, spec));

      assertThat(first.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(first).hasMessage(
          "probe_timeout: CUDA: no answer within 300ms (is the driver hung?)");
      assertThat(second.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(second.getMessage()).contains("an earlier call has not returned");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertReleased(cuda));
    }
  }

  @Test
  void theSameGpuTwiceIsAUsageError() {
    assertThatThrownBy(() -> NvlinkProbe.system().probe(1, 1, SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gpus: 1, 1 (expected: two different indexes >= 0)");
  }
}
