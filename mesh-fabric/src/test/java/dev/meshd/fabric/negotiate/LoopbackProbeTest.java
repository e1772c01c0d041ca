package dev.meshd.fabric.negotiate;

import static dev.meshd.fabric.negotiate.testing.NegotiationPair.end;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.negotiate.testing.LoopbackTcpTransport;
import dev.meshd.fabric.negotiate.testing.NegotiationPair;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Negotiations whose probes move real bytes over loopback TCP (a test-only transport). */
class LoopbackProbeTest {

  static final ProbeSpec SPEC = new ProbeSpec(8, 256 << 10, 16, Duration.ofSeconds(5));

  static TransportNegotiator negotiator(StageTransport... transports) {
    return TransportNegotiator.builder()
        .order(List.of("libfabric-tcp", "quic"))
        .transports(List.of(transports))
        .settings(NegotiationSettings.defaults().withProbe(SPEC))
        .clock(Clock.systemUTC())
        .build();
  }

  @Test
  void aVerifiedPayloadGivesAMeasuredBandwidthAndRtt() throws Exception {
    var down = LoopbackTcpTransport.of("quic", FabricClass.QUIC);

    var outcome = NegotiationPair.run(negotiator(LoopbackTcpTransport.of("quic", FabricClass.QUIC)),
        negotiator(down), end("node1", "a"), end("node2", "b"));

    NegotiatedLink link = outcome.upstream();
    assertThat(outcome.downstream()).contains(link);
    assertThat(link.state()).isEqualTo(LinkState.UP);
    TransportTry chosen = link.tries().getLast();
    assertThat(chosen.measured().orElseThrow().bytesVerified()).isEqualTo(SPEC.totalBytes());
    assertThat(link.bytesPerSecond()).isPositive();
    assertThat(link.rtt()).isPositive().isLessThan(Duration.ofSeconds(1));
    assertThat(down.openResponders()).isZero();
  }

  @Test
  void aCorruptedPayloadIsCaughtByTheReceiverAndTheNextTransportIsUsed() throws Exception {
    var upTcp = LoopbackTcpTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP)
        .corruptingFirstMessage();

    var outcome = NegotiationPair.run(
        negotiator(upTcp, LoopbackTcpTransport.of("quic", FabricClass.QUIC)),
        negotiator(LoopbackTcpTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP),
            LoopbackTcpTransport.of("quic", FabricClass.QUIC)),
        end("node1", "a"), end("node2", "b"));

    NegotiatedLink link = outcome.upstream();
    assertThat(outcome.downstream()).contains(link);
    assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
    assertThat(link.transport()).isEqualTo("quic");
    assertThat(link.fallbacks()).last().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
      assertThat(f.detail()).isEqualTo("message 0 arrived with a wrong CRC32C");
    });
  }
}
