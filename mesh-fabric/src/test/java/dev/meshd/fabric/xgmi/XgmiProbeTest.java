package dev.meshd.fabric.xgmi;

import static org.assertj.core.api.Assertions.assertThat;
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
 * Runs the real HIP binding and the shared peer-copy probe against a fake {@code libamdhip64.so}
 * whose GPUs are host memory ({@code fake-hip/fake_hip.c}), loaded by path.
 */
class XgmiProbeTest {

  private static final ProbeSpec SMALL = new ProbeSpec(5, 1 << 20, 8, Duration.ofSeconds(10));

  @TempDir static Path libs;

  private static ProbeFailure failure(ThrowingCallable probe) {
    Throwable thrown = catchThrowable(probe);
    assertThat(thrown).isInstanceOf(ProbeFailure.class);
    return (ProbeFailure) thrown;
  }

  /** Nothing the probe took is still held: no buffer, no peer access it enabled. */
  private static void assertReleased(FakeHip hip) throws Throwable {
    assertThat(hip.get("fake_hip_live_allocations")).isZero();
    assertThat(hip.get("fake_hip_enabled_peer_links")).isZero();
  }

  @Test
  void copiesVerifiesAndMeasuresBetweenTwoXgmiPeers() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-ok.so")) {
      XgmiProbe probe = new XgmiProbe(hip.path());

      ProbeResult result = probe.probe(0, 1, SMALL);

      assertThat(result.bytesVerified()).isEqualTo(8L << 20);
      assertThat(result.bytesPerSecond()).isPositive();
      assertThat(result.rtt()).isPositive();
      assertThat(result.elapsed()).isGreaterThanOrEqualTo(result.rtt());
      // One warm-up copy, two per round trip, one per message; all with peer access enabled.
      assertThat(hip.get("fake_hip_peer_copies")).isEqualTo(1 + 2 * 5 + 8);
      assertThat(hip.get("fake_hip_unpeered_copies")).isZero();
      assertReleased(hip);

      // The peer access the first probe enabled was disabled again: the second, the other way,
      // enables it afresh and works the same.
      assertThat(probe.probe(1, 0, SMALL).bytesVerified()).isEqualTo(8L << 20);
      assertThat(hip.get("fake_hip_unpeered_copies")).isZero();
      assertReleased(hip);
    }
  }

  @Test
  void gpusAreNamedInPciBusOrderNotHipOrder() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-order.so")) {
      hip.set("fake_hip_set_pci_bus", 0, 0xc1);
      hip.set("fake_hip_set_pci_bus", 1, 0x05);

      new XgmiProbe(hip.path()).probe(0, 1, SMALL);

      // The bulk goes from GPU 0 in PCI order, which is HIP ordinal 1.
      assertThat(hip.get("fake_hip_last_peer_source")).isEqualTo(1);
    }
  }

  @Test
  void gpusThatCannotBePeersAreNoPeerAccess() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-no-peer.so")) {
      hip.set("fake_hip_set_device_count", 3);
      hip.set("fake_hip_set_peer_access", 2, 0, 0);
      XgmiProbe probe = new XgmiProbe(hip.path());

      ProbeFailure failure = failure(() -> probe.probe(0, 2, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.NO_PEER_ACCESS);
      assertThat(failure).hasMessage("no_peer_access: GPU 0 and GPU 2 cannot access each other "
          + "as peers (hipDeviceCanAccessPeer)");
      assertThat(hip.get("fake_hip_peer_copies")).isZero();
      assertReleased(hip);
      assertThat(probe.probe(0, 1, SMALL).bytesVerified()).isEqualTo(8L << 20);
    }
  }

  @Test
  void peersOverPcieAreNotClaimedAsXgmi() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-pcie.so")) {
      hip.set("fake_hip_set_link_type", 0, 1, 2); // HSA_AMD_LINK_INFO_TYPE_PCIE

      ProbeFailure failure = failure(() -> new XgmiProbe(hip.path()).probe(0, 1, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.NO_PEER_ACCESS);
      assertThat(failure).hasMessage("no_peer_access: GPU 0 and GPU 1 are peers, but over PCIe, "
          + "not XGMI (hipExtGetLinkTypeAndHopCount: link type 2, 1 hop(s))");
      assertThat(hip.get("fake_hip_peer_copies")).isZero();
      assertReleased(hip);
    }
  }

  @Test
  void peerAccessRefusedWhenEnablingIsNoPeerAccessAndReleasesWhatWasTaken() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-refused.so")) {
      // hipDeviceCanAccessPeer says yes both ways, but enabling GPU 0's access to GPU 1 fails:
      // by then GPU 1's access to GPU 0 is enabled and GPU 1 holds a buffer.
      hip.set("fake_hip_set_refuse_enable", 0, 1);

      ProbeFailure failure = failure(() -> new XgmiProbe(hip.path()).probe(0, 1, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.NO_PEER_ACCESS);
      assertThat(failure).hasMessage("no_peer_access: hipDeviceEnablePeerAccess: peer access is "
          + "not supported between these two devices (217)");
      assertThat(hip.get("fake_hip_peer_copies")).isZero();
      assertReleased(hip);
    }
  }

  @Test
  void corruptedBytesAreAChecksumMismatch() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-corrupt.so")) {
      hip.set("fake_hip_set_corrupt", 1);

      ProbeFailure failure = failure(() -> new XgmiProbe(hip.path()).probe(0, 1, SMALL));

      assertThat(failure.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
      assertThat(failure.getMessage()).startsWith("checksum_mismatch: message 1 of 8: CRC32C ")
          .endsWith("after host -> GPU 0 -> GPU 1 -> host");
      assertReleased(hip);
    }
  }

  @Test
  void noHipRuntimeIsLibraryMissingAndSaysTheProbeWasSkipped() {
    // A name no machine has, so that the test means the same where ROCm is installed.
    String absent = "libamdhip64-meshd-test-absent.so";

    ProbeFailure failure = failure(() -> new XgmiProbe(absent).probe(0, 1, SMALL));

    assertThat(failure.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(failure).hasMessage("library_missing: " + absent + " not found: no HIP runtime "
        + "(ROCm) on this node; XGMI probe skipped");
    assertThat(XgmiProbe.DEFAULT_LIBRARY).isEqualTo("libamdhip64.so");
  }

  @Test
  void aLibraryThatIsNotHipIsLibraryMissing() {
    ProbeFailure failure = failure(() -> new XgmiProbe("libc.so.6").checkDriver());

    assertThat(failure.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(failure).hasMessage("library_missing: hipInit: missing from libc.so.6 (expected: "
        + "the HIP runtime of ROCm 5.0 or newer)");
  }

  @Test
  void aRuntimeWithoutGpusOrWithoutThatGpuIsNoGpu() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-no-gpu.so")) {
      XgmiProbe probe = new XgmiProbe(hip.path());

      ProbeFailure absent = failure(() -> probe.probe(0, 3, SMALL));
      assertThat(absent.reason()).isEqualTo(FallbackReason.NO_GPU);
      assertThat(absent).hasMessage("no_gpu: GPU 3 not present: HIP sees 2 GPU(s)");

      hip.set("fake_hip_set_device_count", 0);
      ProbeFailure none = failure(() -> probe.probe(0, 1, SMALL));
      assertThat(none.reason()).isEqualTo(FallbackReason.NO_GPU);
      assertThat(none).hasMessage(
          "no_gpu: hipGetDeviceCount: no ROCm-capable device is detected (100)");

      hip.set("fake_hip_set_init_result", 35);
      ProbeFailure noDriver = failure(() -> probe.probe(0, 1, SMALL));
      assertThat(noDriver.reason()).isEqualTo(FallbackReason.NO_GPU);
      assertThat(noDriver).hasMessage(
          "no_gpu: hipInit: driver version is insufficient for runtime version (35)");
    }
  }

  @Test
  void aSlowLinkStopsAtTheDeadlineAndStillReleasesEverything() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-slow.so")) {
      hip.set("fake_hip_set_copy_delay_ms", 30);
      ProbeSpec spec = new ProbeSpec(2, 4096, 50, Duration.ofMillis(300));

      long start = System.nanoTime();
      ProbeFailure failure = failure(() -> new XgmiProbe(hip.path()).probe(0, 1, spec));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertReleased(hip));
    }
  }

  @Test
  void aHungRuntimeFailsAtTheDeadlineAndLaterProbesDoNotPileUp() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-hung.so")) {
      hip.set("fake_hip_set_init_delay_ms", 2000);
      XgmiProbe probe = new XgmiProbe(hip.path());
      ProbeSpec spec = new ProbeSpec(1, 4096, 1, Duration.ofMillis(200));

      long start = System.nanoTime();
      ProbeFailure first = failure(() -> probe.probe(0, 1, spec));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      ProbeFailure second = failure(() -> probe.probe(0, 1, spec));

      assertThat(first.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(first).hasMessage(
          "probe_timeout: HIP: no answer within 300ms (is the driver hung?)");
      assertThat(took).isLessThan(Duration.ofSeconds(1));
      assertThat(second.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(second.getMessage()).contains("an earlier call has not returned");
      // Once the runtime answers, the stuck probe finishes and frees what it took.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertReleased(hip));
    }
  }
}
