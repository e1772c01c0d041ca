package dev.meshd.fabric.negotiate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkDecisionTest {

  static final Instant AT = Instant.parse("2025-11-22T08:00:00Z");
  static final LinkEnd UP = new LinkEnd("node1", "host-a", List.of(0));
  static final LinkEnd DOWN = new LinkEnd("node2", "host-b", List.of(1));
  static final ProbeResult MEASURED =
      new ProbeResult(1 << 20, 2e9, Duration.ofNanos(40_000), Duration.ofMillis(5));

  static Candidate available(String group, FabricClass fabricClass) {
    return new Candidate.Available(group,
        new TransportEndpoint(fabricClass, EndpointData.ofUtf8(group)));
  }

  static Candidate unavailable(String group, FallbackReason reason) {
    return new Candidate.Unavailable(new Fallback(group, reason, ""));
  }

  static NegotiationMessage.Offer offer(Candidate... candidates) {
    return new NegotiationMessage.Offer("id", UP, List.of(candidates), ProbeSpec.standard(), "");
  }

  static Optional<NegotiationMessage.Answer> answer(Candidate... candidates) {
    return Optional.of(new NegotiationMessage.Answer(DOWN, List.of(candidates)));
  }

  @Test
  void absencesBeforeTheChosenTransportLeaveTheLinkUp() {
    NegotiatedLink link = LinkDecision.decide(
        offer(unavailable("nvlink", FallbackReason.NOT_SAME_HOST),
            available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)),
        answer(unavailable("rdma", FallbackReason.PROVIDER_MISSING),
            available("quic", FabricClass.QUIC)),
        List.of(new TryOutcome.Succeeded("quic", MEASURED)), AT, Optional.empty());

    assertThat(link.state()).isEqualTo(LinkState.UP);
    assertThat(link.reason()).isEmpty();
    assertThat(link.toLinkStatus().fallbackReasons())
        .containsExactly("nvlink: not_same_host", "rdma: provider_missing");
    assertThat(link.toLinkStatus().bandwidthBytesPerSecond()).isEqualTo(2_000_000_000L);
    assertThat(link.toLinkStatus().rttMicros()).isEqualTo(40);
  }

  @Test
  void aFaultBeforeTheChosenTransportDegradesTheLink() {
    NegotiatedLink link = LinkDecision.decide(
        offer(available("rdma", FabricClass.EFA), available("quic", FabricClass.QUIC)),
        answer(available("rdma", FabricClass.EFA), available("quic", FabricClass.QUIC)),
        List.of(new TryOutcome.Failed(new Fallback("rdma", FallbackReason.PROBE_TIMEOUT, "5s")),
            new TryOutcome.Succeeded("quic", MEASURED)),
        AT, Optional.empty());

    assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
    assertThat(link.reason()).isEqualTo("fell back past rdma: probe_timeout: 5s");
    assertThat(link.tries().getFirst().fabricClass()).contains(FabricClass.EFA);
  }

  @Test
  void anAbortKeepsWhatWasLearntAndNamesWhy() {
    NegotiatedLink link = LinkDecision.decide(
        offer(available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)),
        Optional.empty(), List.of(), AT, Optional.of("node2 went away"));

    assertThat(link.state()).isEqualTo(LinkState.FAILED);
    assertThat(link.reason()).isEqualTo("node2 went away");
    assertThat(link.tries()).isEmpty();
  }

  @Test
  void outcomesOutOfOrderAreRejected() {
    assertThatThrownBy(() -> LinkDecision.decide(
        offer(available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)),
        answer(available("rdma", FabricClass.RDMA_IB), available("quic", FabricClass.QUIC)),
        List.of(new TryOutcome.Succeeded("quic", MEASURED)), AT, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outcome for quic (expected: for rdma, the next accepted transport)");
    assertThatThrownBy(() -> LinkDecision.decide(
        offer(available("quic", FabricClass.QUIC)), answer(available("quic", FabricClass.QUIC)),
        List.of(new TryOutcome.Succeeded("quic", MEASURED),
            new TryOutcome.Succeeded("quic", MEASURED)), AT, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDisagreementFailsTheLinkWithTheOthersWords() {
    NegotiatedLink up = LinkDecision.decide(
        offer(available("quic", FabricClass.QUIC)), answer(available("quic", FabricClass.QUIC)),
        List.of(new TryOutcome.Succeeded("quic", MEASURED)), AT, Optional.empty());

    NegotiatedLink disagreed = LinkDecision.disagreed(up, "derived rdma");

    assertThat(disagreed.state()).isEqualTo(LinkState.FAILED);
    assertThat(disagreed.reason()).isEqualTo("the two ends disagree: derived rdma");
    assertThat(disagreed.isUsable()).isFalse();
  }
}
