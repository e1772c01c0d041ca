package dev.meshd.fabric.xgmi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.negotiate.Fallback;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.TransportTry;
import dev.meshd.fabric.negotiate.testing.FakeStageTransport;
import dev.meshd.fabric.negotiate.testing.NegotiationPair;
import dev.meshd.fabric.negotiate.testing.NegotiationPair.Outcome;
import dev.meshd.fabric.nvlink.NvlinkProbe;
import dev.meshd.fabric.nvlink.NvlinkStageTransport;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Negotiations between two stages on one host whose GPUs are an XGMI pair, with the real XGMI
 * transport (HIP binding and probe) on the fake {@code libamdhip64.so} at both ends, the real
 * NVLink transport finding no CUDA driver, and a fake QUIC to fall back to: XGMI is proved when
 * the pair works, and when it does not the next transport is used with the reason recorded.
 */
class XgmiNegotiationTest {

  static final List<String> ORDER = List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");
  static final ProbeSpec SPEC = new ProbeSpec(4, 256 << 10, 8, Duration.ofSeconds(2));

  /** The upstream stage on GPU 0, the downstream stage on GPU 1 of the same host. */
  static final LinkEnd UP = new LinkEnd("node1", "host-mi300x", List.of(0));
  static final LinkEnd DOWN = new LinkEnd("node2", "host-mi300x", List.of(1));

  @TempDir Path libs;

  /** One end's negotiator: NVLink without a driver, XGMI over the fake, and {@code quic}. */
  static TransportNegotiator negotiator(Path libs, FakeHip hip, StageTransport quic) {
    return TransportNegotiator.builder()
        .order(ORDER)
        .transports(List.of(
            new NvlinkStageTransport(new NvlinkProbe(libs.resolve("libcuda-absent.so").toString())),
            new XgmiStageTransport(new XgmiProbe(hip.path())),
            quic))
        .settings(NegotiationSettings.defaults().withProbe(SPEC))
        .clock(Clock.systemUTC())
        .build();
  }

  private Outcome run(FakeHip hip, FakeStageTransport upQuic) throws Exception {
    return NegotiationPair.run(negotiator(libs, hip, upQuic),
        negotiator(libs, hip, FakeStageTransport.of("quic", FabricClass.QUIC)), UP, DOWN);
  }

  /** Why XGMI was not used; the groups after it that neither end has follow it in the list. */
  private static Fallback xgmiFallback(NegotiatedLink link) {
    return link.fallbacks().stream().filter(f -> f.transport().equals("xgmi")).findFirst()
        .orElseThrow();
  }

  @Test
  void sameHostStagesOnAnXgmiPairAreJoinedByXgmiWithAVerifiedAndMeasuredProbe()
      throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-negotiate.so")) {
      var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);

      Outcome outcome = run(hip, upQuic);

      NegotiatedLink link = outcome.upstream();
      assertThat(outcome.downstreamFailure()).isEmpty();
      assertThat(outcome.downstream()).contains(link);
      assertThat(link.state()).isEqualTo(LinkState.UP);
      assertThat(link.transport()).isEqualTo("xgmi");
      assertThat(link.fabricClass()).contains(FabricClass.XGMI);
      assertThat(link.bytesPerSecond()).isPositive();
      assertThat(link.rtt()).isPositive();
      TransportTry xgmi = link.tries().getLast();
      assertThat(xgmi.transport()).isEqualTo("xgmi");
      assertThat(xgmi.measured().orElseThrow().bytesVerified()).isEqualTo(SPEC.totalBytes());
      // NVLink was only absent here (no CUDA driver), so the link is UP, not DEGRADED.
      assertThat(link.fallbacks()).singleElement().satisfies(f -> {
        assertThat(f.transport()).isEqualTo("nvlink");
        assertThat(f.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
      });
      assertThat(upQuic.probes()).isZero();
      // The bulk went from the upstream's GPU 0 to the downstream's GPU 1, through peer access.
      assertThat(hip.get("fake_hip_last_peer_source")).isEqualTo(0);
      assertThat(hip.get("fake_hip_unpeered_copies")).isZero();
      assertThat(hip.get("fake_hip_live_allocations")).isZero();
    }
  }

  @Test
  void aCorruptingXgmiLinkFallsBackToQuicWithTheChecksumMismatchRecorded() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-negotiate-corrupt.so")) {
      hip.set("fake_hip_set_corrupt", 1);
      var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);

      Outcome outcome = run(hip, upQuic);

      NegotiatedLink link = outcome.upstream();
      assertThat(outcome.downstream()).contains(link);
      assertThat(link.transport()).isEqualTo("quic");
      assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
      Fallback xgmi = xgmiFallback(link);
      assertThat(xgmi.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
      assertThat(xgmi.detail()).startsWith("message 1 of 8: CRC32C ")
          .endsWith("after host -> GPU 0 -> GPU 1 -> host");
      assertThat(link.reason()).startsWith("fell back past xgmi: checksum_mismatch: message 1");
      assertThat(upQuic.probes()).isEqualTo(1);
      assertThat(hip.get("fake_hip_live_allocations")).isZero();
    }
  }

  @Test
  void aHungXgmiProbeIsCutAtTheTryDeadlineAndQuicIsUsed() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-negotiate-hung.so")) {
      hip.set("fake_hip_set_copy_delay_ms", 5_000);

      long start = System.nanoTime();
      Outcome outcome = run(hip, FakeStageTransport.of("quic", FabricClass.QUIC));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      NegotiatedLink link = outcome.upstream();
      assertThat(outcome.downstream()).contains(link);
      assertThat(link.transport()).isEqualTo("quic");
      assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
      assertThat(xgmiFallback(link).reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      // One try deadline (2 s) and the grace the negotiator gives, not the 5 s copy.
      assertThat(took).isLessThan(Duration.ofMillis(4_500));
    }
  }

  @Test
  void gpusJoinedOnlyByPcieAreNotAnXgmiLinkAndQuicIsUsedWithTheReason() throws Throwable {
    try (FakeHip hip = FakeHip.compile(libs, "libfake-hip-negotiate-pcie.so")) {
      hip.set("fake_hip_set_link_type", 0, 1, 2);

      Outcome outcome = run(hip, FakeStageTransport.of("quic", FabricClass.QUIC));

      NegotiatedLink link = outcome.upstream();
      assertThat(outcome.downstream()).contains(link);
      assertThat(link.transport()).isEqualTo("quic");
      // No XGMI between the two is an absence, not a fault: QUIC is the best there is.
      assertThat(link.state()).isEqualTo(LinkState.UP);
      assertThat(link.toLinkStatus().fallbackReasons()).contains("xgmi: no_peer_access: GPU 0 "
          + "and GPU 1 are peers, but over PCIe, not XGMI (hipExtGetLinkTypeAndHopCount: link "
          + "type 2, 1 hop(s))");
    }
  }
}
