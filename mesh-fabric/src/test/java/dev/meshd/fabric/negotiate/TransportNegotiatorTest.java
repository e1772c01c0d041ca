package dev.meshd.fabric.negotiate;

import static dev.meshd.fabric.negotiate.testing.NegotiationPair.end;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.fabric.negotiate.testing.FakeStageTransport;
import dev.meshd.fabric.negotiate.testing.MemoryPeerChannels;
import dev.meshd.fabric.negotiate.testing.NegotiationPair;
import dev.meshd.fabric.negotiate.testing.NegotiationPair.Outcome;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ends of a negotiation over an in-memory path, with fake transports that fail at each
 * step: each failure falls back to the next transport within its deadline, the reason is kept in
 * order, nothing is left open, and both ends hold the same link.
 */
class TransportNegotiatorTest {

  static final Instant NOW = Instant.parse("2025-11-22T08:00:00Z");
  static final Duration TRY = Duration.ofMillis(300);
  static final NegotiationSettings SETTINGS = new NegotiationSettings(
      new ProbeSpec(2, 1024, 4, TRY), Duration.ofMillis(300), Duration.ofSeconds(2),
      Duration.ofSeconds(10));
  static final List<String> ORDER = List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");

  static final LinkEnd UP = end("node1", "host-a");
  static final LinkEnd DOWN = end("node2", "host-b");

  static TransportNegotiator negotiator(List<String> order, StageTransport... transports) {
    return TransportNegotiator.builder()
        .order(order)
        .transports(List.of(transports))
        .settings(SETTINGS)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  static void assertBothEndsAgree(Outcome outcome) {
    assertThat(outcome.downstreamFailure()).isEmpty();
    assertThat(outcome.downstream()).contains(outcome.upstream());
  }

  @Test
  void theFirstTransportBothEndsHaveIsProvedAndBothEndsHoldTheSameLink() throws Exception {
    var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    var downQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);
    var downRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);

    Outcome outcome = NegotiationPair.run(negotiator(ORDER, upQuic, upRdma),
        negotiator(ORDER, downQuic, downRdma), UP, DOWN);

    NegotiatedLink link = outcome.upstream();
    assertBothEndsAgree(outcome);
    assertThat(link.state()).isEqualTo(LinkState.UP);
    assertThat(link.transport()).isEqualTo("rdma");
    assertThat(link.fabricClass()).contains(FabricClass.RDMA_IB);
    assertThat(link.bytesPerSecond()).isEqualTo(1.25e9);
    assertThat(link.rtt()).isEqualTo(Duration.ofNanos(85_000));
    assertThat(link.negotiatedAt()).isEqualTo(NOW);
    // nvlink and xgmi: different hosts; libfabric-tcp: neither end has one. quic never tried.
    assertThat(link.fallbacks()).extracting(Fallback::transport, Fallback::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("nvlink", FallbackReason.NOT_OFFERED),
            org.assertj.core.groups.Tuple.tuple("xgmi", FallbackReason.NOT_OFFERED));
    assertThat(upQuic.probes()).isZero();
    // The probe went to the responder the downstream prepared, which is released.
    assertThat(upRdma.probedAnswers()).singleElement()
        .satisfies(a -> assertThat(a.data().toUtf8()).isEqualTo("answer:rdma@node2"));
    assertThat(downRdma.openResponders()).isZero();
    assertThat(downRdma.respondersOpened()).isEqualTo(1);
    assertThat(link.toLinkStatus()).isEqualTo(new LinkStatus("rdma", "RDMA_IB", 1_250_000_000L,
        85, LinkState.UP, "", List.of("nvlink: not_offered: node1 has no nvlink transport",
            "xgmi: not_offered: node1 has no xgmi transport"), NOW));
  }

  /** One way for rdma to fail, and where: the upstream's offer, the downstream's accept, or the probe. */
  record Failure(String name, FallbackReason reason, Step step, LinkState linkState) {
    @Override
    public String toString() {
      return name;
    }
  }

  enum Step { OFFER, ACCEPT, PROBE, PROBE_HANGS }

  static Stream<Arguments> failures() {
    return Stream.of(
        new Failure("offer refused: library missing", FallbackReason.LIBRARY_MISSING,
            Step.OFFER, LinkState.UP),
        new Failure("provider missing on the downstream", FallbackReason.PROVIDER_MISSING,
            Step.ACCEPT, LinkState.UP),
        new Failure("address insert failed", FallbackReason.ADDRESS_INSERT_FAILED, Step.ACCEPT,
            LinkState.DEGRADED),
        new Failure("connect failed", FallbackReason.CONNECT_FAILED, Step.PROBE,
            LinkState.DEGRADED),
        new Failure("checksum mismatch", FallbackReason.CHECKSUM_MISMATCH, Step.PROBE,
            LinkState.DEGRADED),
        new Failure("probe timeout (a probe that never returns)", FallbackReason.PROBE_TIMEOUT,
            Step.PROBE_HANGS, LinkState.DEGRADED))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aFailureAtEachStepFallsBackToTheNextWithinItsDeadlineAndKeepsTheReason(Failure failure)
      throws Exception {
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_ROCE);
    var downRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_ROCE);
    switch (failure.step()) {
      case OFFER -> upRdma.refuseOffer(failure.reason(), "libfabric.so.1 not found");
      case ACCEPT -> downRdma.refuseAccept(failure.reason(), "scripted");
      case PROBE -> upRdma.failProbe(failure.reason(), "scripted");
      case PROBE_HANGS -> upRdma.hangProbe();
    }
    var upTcp = FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP);
    var downTcp = FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP);
    List<String> order = List.of("rdma", "libfabric-tcp", "quic");

    Outcome outcome = NegotiationPair.run(negotiator(order, upRdma, upTcp),
        negotiator(order, downRdma, downTcp), UP, DOWN);

    NegotiatedLink link = outcome.upstream();
    assertBothEndsAgree(outcome);
    assertThat(link.transport()).isEqualTo("libfabric-tcp");
    assertThat(link.state()).isEqualTo(failure.linkState());
    assertThat(link.fallbacks()).singleElement().satisfies(f -> {
      assertThat(f.transport()).isEqualTo("rdma");
      assertThat(f.reason()).isEqualTo(failure.reason());
    });
    if (failure.linkState() == LinkState.DEGRADED) {
      assertThat(link.reason()).startsWith("fell back past rdma: " + failure.reason().label());
    }
    // Within the try deadline (plus scheduling), never the overall one.
    assertThat(outcome.elapsed()).isLessThan(TRY.plus(Duration.ofSeconds(1)));
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(upRdma.probesEnded()).isEqualTo(upRdma.probes());
      assertThat(downRdma.openResponders()).isZero();
      assertThat(downTcp.openResponders()).isZero();
    });
  }

  @Test
  void aProbeThatNeverReturnsIsCutAtItsDeadlineAndItsThreadEnds() throws Exception {
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB).hangProbe();
    var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    TransportNegotiator up = negotiator(ORDER, upRdma, upQuic);
    TransportNegotiator down = negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    Outcome outcome = NegotiationPair.run(up, down, UP, DOWN);

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().transport()).isEqualTo("quic");
    assertThat(outcome.upstream().fallbacks()).filteredOn(f -> f.transport().equals("rdma"))
        .singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(f.detail()).isEqualTo("no result within 300ms; the probe was cut");
    });
    assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(TRY)
        .isLessThan(TRY.plus(Duration.ofSeconds(1)));
    assertThat(upRdma.probesEnded()).isEqualTo(1);
    assertThat(up.runningTransportCalls()).isZero();
    assertThat(down.runningTransportCalls()).isZero();
    assertThat(up.stuckTransportCalls()).isZero();
  }

  @Test
  void aProbeThatIgnoresItsInterruptIsAbandonedAfterTheGraceAndCountedAsStuck()
      throws Exception {
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB)
        .hangIgnoringInterrupts(Duration.ofSeconds(2));
    TransportNegotiator up = negotiator(ORDER, upRdma, FakeStageTransport.of("quic",
        FabricClass.QUIC));
    TransportNegotiator down = negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    Outcome outcome = NegotiationPair.run(up, down, UP, DOWN);

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().transport()).isEqualTo("quic");
    assertThat(outcome.elapsed()).isLessThan(TRY.plus(Duration.ofMillis(1_800)));
    assertThat(up.stuckTransportCalls()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> up.runningTransportCalls() == 0);
  }

  @Test
  void failuresAtEveryGroupAreKeptInOrderBeforeQuic() throws Exception {
    LinkEnd up = end("node1", "host-a");
    LinkEnd down = end("node2", "host-a"); // one host: NVLink and XGMI are tried
    TransportNegotiator upstream = negotiator(ORDER,
        FakeStageTransport.of("nvlink", FabricClass.NVLINK)
            .refuseOffer(FallbackReason.NO_GPU, "no CUDA driver"),
        FakeStageTransport.of("xgmi", FabricClass.XGMI),
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB)
            .failProbe(FallbackReason.CHECKSUM_MISMATCH, "message 3"),
        FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP).hangProbe(),
        FakeStageTransport.of("quic", FabricClass.QUIC));
    TransportNegotiator downstream = negotiator(ORDER,
        FakeStageTransport.of("nvlink", FabricClass.NVLINK),
        FakeStageTransport.of("xgmi", FabricClass.XGMI)
            .refuseAccept(FallbackReason.NO_PEER_ACCESS, "GPU 0 cannot reach GPU 0"),
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    Outcome outcome = NegotiationPair.run(upstream, downstream, up, down);

    assertBothEndsAgree(outcome);
    NegotiatedLink link = outcome.upstream();
    assertThat(link.transport()).isEqualTo("quic");
    assertThat(link.state()).isEqualTo(LinkState.DEGRADED);
    assertThat(link.toLinkStatus().fallbackReasons()).containsExactly(
        "nvlink: no_gpu: no CUDA driver",
        "xgmi: no_peer_access: GPU 0 cannot reach GPU 0",
        "rdma: checksum_mismatch: message 3",
        "libfabric-tcp: probe_timeout: no result within 300ms; the probe was cut");
    assertThat(link.reason()).isEqualTo("fell back past rdma: checksum_mismatch: message 3");
    assertThat(link.tries()).extracting(TransportTry::state).containsExactly(
        TransportTry.State.SKIPPED, TransportTry.State.SKIPPED, TransportTry.State.FAILED,
        TransportTry.State.FAILED, TransportTry.State.SUCCEEDED);
  }

  @Test
  void nvlinkAndXgmiAreNotEvenAskedAcrossHosts() throws Exception {
    var upNvlink = FakeStageTransport.of("nvlink", FabricClass.NVLINK);
    var downNvlink = FakeStageTransport.of("nvlink", FabricClass.NVLINK);

    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, upNvlink, FakeStageTransport.of("quic", FabricClass.QUIC)),
        negotiator(ORDER, downNvlink, FakeStageTransport.of("quic", FabricClass.QUIC)), UP, DOWN);

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().state()).isEqualTo(LinkState.UP);
    assertThat(outcome.upstream().fallbacks().getFirst()).isEqualTo(new Fallback("nvlink",
        FallbackReason.NOT_SAME_HOST, "node1 is on host host-a, node2 on host-b"));
    assertThat(upNvlink.offers()).isZero();
    assertThat(downNvlink.accepts()).isZero();
  }

  @Test
  void theDownstreamChecksTheSameHostRuleItselfWhenTheUpstreamDidNotKnowThePeersHost()
      throws Exception {
    var downNvlink = FakeStageTransport.of("nvlink", FabricClass.NVLINK);
    TransportNegotiator up = negotiator(ORDER, FakeStageTransport.of("nvlink", FabricClass.NVLINK),
        FakeStageTransport.of("quic", FabricClass.QUIC));
    TransportNegotiator down = negotiator(ORDER, downNvlink,
        FakeStageTransport.of("quic", FabricClass.QUIC));
    MemoryPeerChannels channels = MemoryPeerChannels.pair();
    LinkEnd unknownHost = new LinkEnd("node2", "", List.of(0));

    // The upstream knows the downstream only as "node2" (no host id): it offers NVLink.
    var done = new java.util.concurrent.CompletableFuture<NegotiatedLink>();
    Thread.ofVirtual().start(() -> {
      try {
        done.complete(down.respond(channels.downstream(), DOWN).link());
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    NegotiatedLink link = up.negotiate(channels.upstream(),
        new LinkContext(UP, unknownHost, "t"), Optional.empty());

    assertThat(done.get()).isEqualTo(link);
    assertThat(link.fallbacks().getFirst().reason()).isEqualTo(FallbackReason.NOT_SAME_HOST);
    assertThat(downNvlink.accepts()).isZero();
  }

  @Test
  void aGroupOutsideTheDownstreamsOrderIsRefusedAsNotOffered() throws Exception {
    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
            FakeStageTransport.of("quic", FabricClass.QUIC)),
        negotiator(List.of("quic"), FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
            FakeStageTransport.of("quic", FabricClass.QUIC)), UP, DOWN);

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().transport()).isEqualTo("quic");
    assertThat(outcome.upstream().fallbacks()).contains(new Fallback("rdma",
        FallbackReason.NOT_OFFERED, "rdma is not in node2's fabric.order"));
  }

  @Test
  void quicIsTriedLastWhateverItsPlaceInTheOrder() throws Exception {
    var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    List<String> quicFirst = List.of("quic", "rdma");

    Outcome outcome = NegotiationPair.run(
        negotiator(quicFirst, upQuic, FakeStageTransport.of("rdma", FabricClass.RDMA_IB)),
        negotiator(quicFirst, FakeStageTransport.of("quic", FabricClass.QUIC),
            FakeStageTransport.of("rdma", FabricClass.RDMA_IB)), UP, DOWN);

    assertThat(outcome.upstream().transport()).isEqualTo("rdma");
    assertThat(upQuic.probes()).isZero();
  }

  @Test
  void whenNothingWorksBothEndsHoldTheSameFailedLink() throws Exception {
    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC)
            .failProbe(FallbackReason.PEER_REJECTED, "certificate fingerprint differs")),
        negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC)), UP, DOWN);

    assertBothEndsAgree(outcome);
    NegotiatedLink link = outcome.upstream();
    assertThat(link.state()).isEqualTo(LinkState.FAILED);
    assertThat(link.transport()).isEmpty();
    assertThat(link.reason()).isEqualTo("every transport tried failed (last: quic: "
        + "peer_rejected: certificate fingerprint differs)");
    assertThat(link.fallbacks()).hasSize(5);
  }

  @Test
  void withNoCommonTransportTheLinkFailsWithoutATry() throws Exception {
    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB)),
        negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC)), UP, DOWN);

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().state()).isEqualTo(LinkState.FAILED);
    assertThat(outcome.upstream().reason()).isEqualTo("no transport both ends can use");
    assertThat(outcome.upstream().toLinkStatus().fallbackReasons()).contains(
        "rdma: not_offered: node2 has no rdma transport",
        "quic: not_offered: node1 has no quic transport");
  }

  @Test
  void aForcedTransportIsTheOnlyOneOfferedAndTried() throws Exception {
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);
    TransportNegotiator up = negotiator(ORDER, upRdma, FakeStageTransport.of("quic",
        FabricClass.QUIC));
    TransportNegotiator down = negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    Outcome outcome = NegotiationPair.run(up, down, UP, DOWN, Optional.of("quic"), SETTINGS,
        MemoryPeerChannels.pair());

    assertBothEndsAgree(outcome);
    assertThat(outcome.upstream().transport()).isEqualTo("quic");
    assertThat(outcome.upstream().tries()).hasSize(1);
    assertThat(upRdma.offers()).isZero();
    assertThatThrownBy(() -> up.negotiate(MemoryPeerChannels.pair().upstream(),
        new LinkContext(UP, DOWN, "t"), Optional.of("nvlink")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport: nvlink (expected: one of node1's transports: rdma, quic)");
  }

  @Test
  void aDownstreamThatVanishesDuringATryEndsTheNegotiationWithAClearReason() throws Exception {
    var downRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);
    MemoryPeerChannels channels = MemoryPeerChannels.pair();
    channels.downstream().vanishAfterSending(1); // the answer, then gone
    // The probe runs until the loss is noticed: a probe that failed at once would let the
    // upstream move on to quic first, and the loss then be noticed while trying that.
    var upRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB).hangProbe();

    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, upRdma, FakeStageTransport.of("quic", FabricClass.QUIC)),
        negotiator(ORDER, downRdma, FakeStageTransport.of("quic", FabricClass.QUIC)),
        UP, DOWN, Optional.empty(), SETTINGS, channels);

    NegotiatedLink link = outcome.upstream();
    assertThat(link.state()).isEqualTo(LinkState.FAILED);
    assertThat(link.reason()).isEqualTo(
        "the negotiation with node2 ended while trying rdma: connection reset");
    // What was learnt before stays: the same-host skips, and nothing tried after.
    assertThat(link.fallbacks()).extracting(Fallback::transport)
        .containsExactly("nvlink", "xgmi");
    assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(downRdma.openResponders()).isZero());
  }

  @Test
  void anUpstreamThatVanishesAfterItsOfferFreesTheDownstreamsResponders() throws Exception {
    var downRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);
    var downQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    MemoryPeerChannels channels = MemoryPeerChannels.pair();
    channels.upstream().vanishAfterSending(1); // the offer, then gone

    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
            FakeStageTransport.of("quic", FabricClass.QUIC)),
        negotiator(ORDER, downRdma, downQuic), UP, DOWN, Optional.empty(), SETTINGS, channels);

    assertThat(outcome.upstream().state()).isEqualTo(LinkState.FAILED);
    NegotiatedLink downstream = outcome.downstream().orElseThrow();
    assertThat(downstream.state()).isEqualTo(LinkState.FAILED);
    // Answering or just after, depending on when the loss is noticed.
    assertThat(downstream.reason()).startsWith("the negotiation with node1 ended while ");
    assertThat(downRdma.respondersOpened()).isEqualTo(1);
    assertThat(downRdma.openResponders()).isZero();
    assertThat(downQuic.openResponders()).isZero();
  }

  @Test
  void theOverallDeadlineStopsTheTriesAndBothEndsAgreeOnWhy() throws Exception {
    NegotiationSettings tight = SETTINGS.withOverallDeadline(Duration.ofMillis(500));
    var upTcp = FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP).hangProbe();
    var upQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    TransportNegotiator up = negotiator(ORDER,
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB).hangProbe(), upTcp, upQuic);
    TransportNegotiator down = negotiator(ORDER,
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("libfabric-tcp", FabricClass.LIBFABRIC_TCP),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    Outcome outcome = NegotiationPair.run(up, down, UP, DOWN, Optional.empty(), tight,
        MemoryPeerChannels.pair());

    assertBothEndsAgree(outcome);
    NegotiatedLink link = outcome.upstream();
    assertThat(link.state()).isEqualTo(LinkState.FAILED);
    assertThat(link.reason()).isEqualTo(
        "the overall deadline of 500ms passed before quic could be tried");
    // rdma had its full 300 ms, libfabric-tcp only what was left of the 500 ms.
    assertThat(upTcp.probedSpecs()).singleElement()
        .satisfies(spec -> assertThat(spec.deadline()).isLessThan(Duration.ofMillis(210)));
    assertThat(upQuic.probes()).isZero();
    assertThat(outcome.elapsed()).isLessThan(Duration.ofMillis(1_500));
  }

  @Test
  void anUpstreamResultThatDiffersFromTheDownstreamsDerivationIsNotAcknowledged()
      throws Exception {
    MemoryPeerChannels channels = MemoryPeerChannels.pair();
    // A lying (or buggy) upstream: it reports ten times the bandwidth it measured.
    channels.upstream().rewriteSent(message -> message instanceof NegotiationMessage.Result r
        ? new NegotiationMessage.Result(withBandwidth(r.link(), 12_500_000_000L), r.aborted())
        : message);

    Outcome outcome = NegotiationPair.run(
        negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC)),
        negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC)),
        UP, DOWN, Optional.empty(), SETTINGS, channels);

    assertThat(outcome.upstream().state()).isEqualTo(LinkState.FAILED);
    assertThat(outcome.upstream().reason())
        .startsWith("the two ends disagree: downstream node2 derived quic (QUIC) 1.25e+09 B/s");
    assertThat(outcome.downstream().orElseThrow().reason())
        .isEqualTo(outcome.upstream().reason());
  }

  @Test
  void anOfferThatBreaksTheProtocolIsRefusedWithoutALink() throws Exception {
    MemoryPeerChannels channels = MemoryPeerChannels.pair();
    TransportNegotiator down = negotiator(ORDER, FakeStageTransport.of("quic", FabricClass.QUIC));
    channels.upstream().send(new NegotiationMessage.Ack(true, ""));

    assertThatThrownBy(() -> down.respond(channels.downstream(), DOWN))
        .isInstanceOf(NegotiationException.class)
        .hasMessage("the first message is Ack (expected: an offer)");
    assertThat(channels.downstream().endedHow()).startsWith("aborted:");
  }

  @Test
  void aSilentUpstreamIsGivenUpOnAfterTheMessageTimeout() throws Exception {
    TransportNegotiator down = TransportNegotiator.builder()
        .order(ORDER)
        .transports(List.of(FakeStageTransport.of("quic", FabricClass.QUIC)))
        .settings(SETTINGS.withMessageTimeout(Duration.ofMillis(200)))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> down.respond(MemoryPeerChannels.pair().downstream(), DOWN))
        .isInstanceOf(NegotiationException.class)
        .hasMessage("no offer: nothing within 200ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  private static LinkStatus withBandwidth(LinkStatus s, long bandwidth) {
    return new LinkStatus(s.transport(), s.fabricClass(), bandwidth, s.rttMicros(), s.state(),
        s.reason(), s.fallbackReasons(), s.negotiatedAt());
  }
}
