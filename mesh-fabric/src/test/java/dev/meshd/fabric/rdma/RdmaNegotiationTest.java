package dev.meshd.fabric.rdma;

import static dev.meshd.fabric.negotiate.testing.NegotiationPair.end;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.libfabric.Libfabric;
import dev.meshd.fabric.libfabric.LibfabricTcpTransport;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.libfabric.LinkLayerLookup;
import dev.meshd.fabric.libfabric.internal.FakeFabric;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.testing.NegotiationPair;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Negotiations in which the {@code rdma} try fails for real and the next group, the real
 * libfabric {@code tcp} transport on loopback, carries the link, with the reason kept.
 */
@Timeout(120)
class RdmaNegotiationTest {

  private static final ProbeSpec SPEC = new ProbeSpec(4, 256 << 10, 16, Duration.ofSeconds(10));

  @TempDir Path dir;

  private static TransportNegotiator negotiator(StageTransport... transports) {
    return TransportNegotiator.builder()
        .order(List.of("rdma", "libfabric-tcp"))
        .transports(List.of(transports))
        .settings(NegotiationSettings.defaults().withProbe(SPEC))
        .clock(Clock.systemUTC())
        .build();
  }

  private static LibfabricTcpTransport tcp() {
    return new LibfabricTcpTransport(LibfabricTransportConfig.loopback());
  }

  private static RdmaStageTransport rdma(String setting, LibfabricTransportConfig endpoints) {
    return new RdmaStageTransport(RdmaTransportConfig.forSetting(setting, endpoints),
        LinkLayerLookup.none());
  }

  @Test
  void noRdmaProviderOnEitherEndFallsBackToLibfabricTcpAndTheLinkIsUp() throws Exception {
    Libfabric.assumeInstalled();
    LibfabricTransportConfig endpoints = LibfabricTransportConfig.loopback();

    var outcome = NegotiationPair.run(negotiator(rdma("auto", endpoints), tcp()),
        negotiator(rdma("auto", endpoints), tcp()), end("node1", "a"), end("node2", "b"));

    NegotiatedLink link = outcome.upstream();
    assertThat(outcome.downstream()).contains(link);
    assertThat(link.transport()).isEqualTo(LibfabricTcpTransport.GROUP);
    // An absent provider is not a fault: libfabric tcp is the best these hosts have.
    assertThat(link.state()).isEqualTo(LinkState.UP);
    assertThat(link.bytesPerSecond()).isPositive();
    assertThat(link.fallbacks()).singleElement().satisfies(fallback -> {
      assertThat(fallback.transport()).isEqualTo(RdmaStageTransport.GROUP);
      assertThat(fallback.reason()).isEqualTo(FallbackReason.PROVIDER_MISSING);
      assertThat(fallback.detail()).startsWith("no RDMA provider on this node: verbs;ofi_rxm");
    });
  }

  @Test
  void aRefusedMemoryRegistrationFallsBackAndTheLinkIsDegraded() throws Throwable {
    Libfabric.assumeInstalled();
    FakeFabric fake = FakeFabric.build(dir);
    LibfabricTransportConfig faked = LibfabricTransportConfig.loopback()
        .withLibrary(fake.path().toString());
    // Both ends "have" the fake provider; the downstream's fi_mr_reg fails.
    fake.failAt("mr_reg");

    var outcome = NegotiationPair.run(negotiator(rdma("fake", faked), tcp()),
        negotiator(rdma("fake", faked), tcp()), end("node1", "a"), end("node2", "b"));

    NegotiatedLink link = outcome.upstream();
    assertThat(outcome.downstream()).contains(link);
    assertThat(link.transport()).isEqualTo(LibfabricTcpTransport.GROUP);
    assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
    assertThat(link.fallbacks()).singleElement().satisfies(fallback -> {
      assertThat(fallback.transport()).isEqualTo(RdmaStageTransport.GROUP);
      assertThat(fallback.reason()).isEqualTo(FallbackReason.MEMORY_REGISTRATION_FAILED);
      assertThat(fallback.detail()).isEqualTo("fi_mr_reg: -12 Cannot allocate memory");
    });
    assertThat(fake.live()).isZero();
  }
}
