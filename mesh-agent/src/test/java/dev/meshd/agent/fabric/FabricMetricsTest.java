package dev.meshd.agent.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.fabric.negotiate.Candidate;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.Fallback;
import dev.meshd.fabric.negotiate.LinkDecision;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationMessage;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.negotiate.TryOutcome;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exact Prometheus names and labels of DESIGN's fabric metrics. */
class FabricMetricsTest {

  static final Instant AT = Instant.parse("2025-11-22T08:00:00Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FabricMetrics metrics = new FabricMetrics(registry);

  @Test
  void aNegotiationCountsItsOutcomeAndEachFallback() {
    metrics.recordNegotiation(degradedQuic());

    assertThat(registry.scrape())
        .contains("meshd_fabric_negotiations_total{outcome=\"degraded\",transport=\"quic\"} 1.0")
        .contains("meshd_fabric_fallbacks_total{reason=\"not_same_host\",transport=\"nvlink\"} 1.0")
        .contains("meshd_fabric_fallbacks_total{reason=\"probe_timeout\",transport=\"rdma\"} 1.0");
  }

  @Test
  void placementLinkGaugesFollowTheirLinks() {
    LinkGauges links = metrics.links();
    links.update("llama", 0, 1, degradedQuic().toLinkStatus());
    links.update("llama", 1, 2, new LinkStatus("rdma", "RDMA_IB", 20_000_000_000L, 12,
        LinkState.UP, "", List.of(), AT));

    assertThat(registry.scrape())
        .contains("meshd_fabric_link_bandwidth_bytes_per_second{from_stage=\"0\","
            + "placement=\"llama\",to_stage=\"1\",transport=\"quic\"} 1.25E9")
        .contains("meshd_fabric_link_rtt_seconds{from_stage=\"0\",placement=\"llama\","
            + "to_stage=\"1\",transport=\"quic\"} 8.5E-5")
        .contains("meshd_fabric_link_bandwidth_bytes_per_second{from_stage=\"1\","
            + "placement=\"llama\",to_stage=\"2\",transport=\"rdma\"} 2.0E10");

    // Renegotiated onto another transport: the old series goes, so no link shows twice.
    links.update("llama", 0, 1, new LinkStatus("rdma", "RDMA_IB", 20_000_000_000L, 12,
        LinkState.UP, "", List.of(), AT));
    assertThat(registry.scrape()).doesNotContain("transport=\"quic\"");

    links.update("llama", 1, 2, LinkDecision.disagreed(degradedQuic(), "x").toLinkStatus());
    assertThat(registry.scrape()).doesNotContain("to_stage=\"2\"");

    links.retainPlacements(Set.of("other"));
    assertThat(registry.scrape()).doesNotContain("placement=\"llama\"");
  }

  private static NegotiatedLink degradedQuic() {
    LinkEnd up = new LinkEnd("node1", "host-a", List.of(0));
    var offer = new NegotiationMessage.Offer("id", up, List.of(
        new Candidate.Unavailable(new Fallback("nvlink", FallbackReason.NOT_SAME_HOST, "")),
        available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)),
        ProbeSpec.standard(), "");
    var answer = new NegotiationMessage.Answer(new LinkEnd("node2", "host-b", List.of(0)),
        List.of(available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)));
    return LinkDecision.decide(offer, Optional.of(answer), List.of(
        new TryOutcome.Failed(new Fallback("rdma", FallbackReason.PROBE_TIMEOUT, "5s")),
        new TryOutcome.Succeeded("quic", new ProbeResult(64L << 20, 1.25e9,
            Duration.ofNanos(85_000), Duration.ofMillis(60)))), AT, Optional.empty());
  }

  private static Candidate available(String group, FabricClass fabricClass) {
    return new Candidate.Available(group,
        new TransportEndpoint(fabricClass, EndpointData.empty()));
  }
}
