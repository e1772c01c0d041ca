package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.negotiate.internal.TransportCalls;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream end of one negotiation (steps 1, 3 and 4, reading 2 and 5). Runs on the thread
 * that called {@link TransportNegotiator#negotiate}; used once. Never throws for the peer's or a
 * transport's failures: they end in a FAILED link with the reason.
 */
final class UpstreamSession {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamSession.class);

  private final TransportNegotiator negotiator;
  private final TransportCalls calls;
  private final PeerChannel peer;
  private final LinkContext link;
  private final List<String> groups;
  private final NegotiationSettings settings;
  private final String id;
  private final long deadlineNanos;

  private NegotiationMessage.Offer offer;
  private NegotiationMessage.Answer answer;
  private final List<TryOutcome> outcomes = new ArrayList<>();
  private String step = "preparing the offer";

  UpstreamSession(TransportNegotiator negotiator, TransportCalls calls, PeerChannel peer,
      LinkContext link, List<String> groups, NegotiationSettings settings, String id) {
    this.negotiator = negotiator;
    this.calls = calls;
    this.peer = peer;
    this.link = link;
    this.groups = groups;
    this.settings = settings;
    this.id = id;
    this.deadlineNanos = negotiator.nanoTime() + settings.overallDeadline().toNanos();
  }

  NegotiatedLink run() throws InterruptedException {
    try {
      offer = new NegotiationMessage.Offer(id, link.local(), offerCandidates(), settings.probe(),
          link.label());
    } catch (InterruptedException e) {
      peer.abort(link.local().nodeId() + " is stopping");
      throw e;
    }
    try {
      step = "waiting for the answer";
      peer.send(offer);
      answer = readAnswer();
      Optional<String> aborted = runTries();
      NegotiatedLink result = LinkDecision.decide(offer, Optional.of(answer), outcomes,
          negotiator.clock().instant(), aborted);
      step = "waiting for the acknowledgement";
      peer.send(new NegotiationMessage.Result(result.toLinkStatus(), aborted));
      NegotiationMessage.Ack ack = expect(NegotiationMessage.Ack.class,
          peer.receive(settings.messageTimeout()));
      peer.close();
      if (!ack.agreed()) {
        LOG.warn("fabric {} {}: {} disagrees with the result: {}", id, link.label(), peerId(),
            ack.detail());
        return LinkDecision.disagreed(result, ack.detail());
      }
      return result;
    } catch (PeerGoneException e) {
      peer.abort(e.getMessage());
      return ended("the negotiation with " + peerId() + " ended while " + step + ": "
          + e.getMessage());
    } catch (ProtocolViolation e) {
      peer.abort(e.getMessage());
      return ended(peerId() + " broke the protocol while " + step + ": " + e.getMessage());
    } catch (InterruptedException e) {
      peer.abort(link.local().nodeId() + " is stopping");
      throw e;
    }
  }

  private List<Candidate> offerCandidates() throws InterruptedException {
    List<Candidate> candidates = new ArrayList<>(groups.size());
    for (String group : groups) {
      candidates.add(offerCandidate(group));
    }
    return candidates;
  }

  private Candidate offerCandidate(String group) throws InterruptedException {
    Optional<StageTransport> transport = negotiator.transport(group);
    if (transport.isEmpty()) {
      return unavailable(group, FallbackReason.NOT_OFFERED,
          link.local().nodeId() + " has no " + group + " transport");
    }
    if (TransportOrder.needsSameHost(group) && !link.peer().hostId().isEmpty()
        && !link.sameHost()) {
      return unavailable(group, FallbackReason.NOT_SAME_HOST, hosts(link));
    }
    try {
      TransportEndpoint endpoint = calls.call("offer-" + group, settings.prepareTimeout(),
          FallbackReason.TRANSPORT_ERROR,
          "offer not ready within " + millis(settings.prepareTimeout()),
          () -> transport.get().offer(link), ignored -> {});
      return new Candidate.Available(group, endpoint);
    } catch (ProbeFailure failure) {
      return new Candidate.Unavailable(Fallback.of(group, failure));
    }
  }

  private NegotiationMessage.Answer readAnswer()
      throws PeerGoneException, InterruptedException, ProtocolViolation {
    int offered = offer.offered().size();
    // The downstream accepts one candidate after another, each within its prepare deadline.
    Duration wait = settings.messageTimeout().plus(settings.prepareTimeout().multipliedBy(offered));
    NegotiationMessage.Answer received =
        expect(NegotiationMessage.Answer.class, peer.receive(wait));
    List<String> expected = offer.offered().stream().map(Candidate::transport).toList();
    List<String> got = received.candidates().stream().map(Candidate::transport).toList();
    if (!expected.equals(got)) {
      throw new ProtocolViolation("answered " + got + " (expected: " + expected + ")");
    }
    return received;
  }

  /** Step 3; the abort reason when the overall deadline stopped it early. */
  private Optional<String> runTries() throws PeerGoneException, InterruptedException {
    LinkContext probed = new LinkContext(link.local(), answer.downstream(), link.label());
    for (Candidate candidate : answer.candidates()) {
      if (!(candidate instanceof Candidate.Available accepted)) {
        continue;
      }
      String group = accepted.transport();
      long leftNanos = deadlineNanos - negotiator.nanoTime();
      if (leftNanos <= 0) {
        return Optional.of("the overall deadline of " + millis(settings.overallDeadline())
            + " passed before " + group + " could be tried");
      }
      Duration tryDeadline = min(settings.probe().deadline(), Duration.ofNanos(leftNanos));
      step = "trying " + group;
      TryOutcome outcome = probe(negotiator.transport(group).orElseThrow(), probed,
          accepted.endpoint(), tryDeadline);
      LOG.debug("fabric {} {}: {} -> {}", id, link.label(), group, outcome);
      peer.send(outcome);
      outcomes.add(outcome);
      if (outcome instanceof TryOutcome.Succeeded) {
        break;
      }
    }
    return Optional.empty();
  }

  private TryOutcome probe(StageTransport transport, LinkContext probed,
      TransportEndpoint peerAnswer, Duration tryDeadline) throws InterruptedException {
    ProbeSpec base = settings.probe();
    ProbeSpec spec = new ProbeSpec(base.pings(), base.messageBytes(), base.messages(),
        tryDeadline);
    String group = transport.group();
    try {
      ProbeResult measured = calls.call("probe-" + group, tryDeadline,
          FallbackReason.PROBE_TIMEOUT,
          "no result within " + millis(tryDeadline) + "; the probe was cut",
          () -> transport.probe(probed, peerAnswer, spec), ignored -> {});
      return new TryOutcome.Succeeded(group, measured);
    } catch (ProbeFailure failure) {
      return new TryOutcome.Failed(Fallback.of(group, failure));
    }
  }

  /** The FAILED link of a negotiation that ended early, with what is known so far. */
  private NegotiatedLink ended(String reason) {
    LOG.info("fabric {} {}: {}", id, link.label(), reason);
    return LinkDecision.decide(offer, Optional.ofNullable(answer), outcomes,
        negotiator.clock().instant(), Optional.of(reason));
  }

  private String peerId() {
    return answer != null ? answer.downstream().nodeId() : link.peer().nodeId();
  }

  private static <T extends NegotiationMessage> T expect(Class<T> type,
      NegotiationMessage message) throws ProtocolViolation {
    if (!type.isInstance(message)) {
      throw new ProtocolViolation("sent " + message.getClass().getSimpleName()
          + " (expected: " + type.getSimpleName() + ")");
    }
    return type.cast(message);
  }

  static Candidate unavailable(String group, FallbackReason reason, String detail) {
    return new Candidate.Unavailable(new Fallback(group, reason, detail));
  }

  static String hosts(LinkContext link) {
    return link.local().nodeId() + " is on host " + quoted(link.local().hostId()) + ", "
        + link.peer().nodeId() + " on " + quoted(link.peer().hostId());
  }

  static String millis(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String quoted(String hostId) {
    return hostId.isEmpty() ? "(unknown)" : hostId;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The peer sent something the protocol does not allow at this step. */
  static final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
      super(message);
    }
  }
}
