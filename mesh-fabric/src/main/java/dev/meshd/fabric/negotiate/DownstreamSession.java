package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.negotiate.internal.TransportCalls;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream end of one negotiation (steps 2 and 5, reading 1, 3 and 4). Runs on the thread
 * that called {@link TransportNegotiator#respond}; used once. Every responder it prepared is
 * released when its try is over and, at the latest, when the session ends, however it ends.
 */
final class DownstreamSession {

  private static final Logger LOG = LoggerFactory.getLogger(DownstreamSession.class);

  private final TransportNegotiator negotiator;
  private final TransportCalls calls;
  private final PeerChannel peer;
  private final LinkEnd self;
  private final NegotiationSettings settings;
  /** Accepted transports whose try has not ended, in the offer's order. */
  private final Map<String, Acceptance> pending = new LinkedHashMap<>();
  private final List<TryOutcome> outcomes = new ArrayList<>();

  DownstreamSession(TransportNegotiator negotiator, TransportCalls calls, PeerChannel peer,
      LinkEnd self, NegotiationSettings settings) {
    this.negotiator = negotiator;
    this.calls = calls;
    this.peer = peer;
    this.self = self;
    this.settings = settings;
  }

  RespondedLink run() throws NegotiationException, InterruptedException {
    NegotiationMessage.Offer offer = readOffer();
    return new RespondedLink(offer.upstream(), follow(offer));
  }

  private NegotiatedLink follow(NegotiationMessage.Offer offer) throws InterruptedException {
    LinkContext link = new LinkContext(self, offer.upstream(), offer.label());
    String upstream = offer.upstream().nodeId();
    NegotiationMessage.Answer answer = null;
    String step = "answering";
    try {
      answer = new NegotiationMessage.Answer(self, answerCandidates(offer, link));
      peer.send(answer);
      // The upstream sends each outcome within its try deadline; allow a message's delay more.
      Duration wait = offer.probe().deadline().plus(settings.messageTimeout());
      while (true) {
        step = outcomes.isEmpty() ? "waiting for the first try" : "waiting after "
            + outcomes.getLast().transport();
        NegotiationMessage message = peer.receive(wait);
        switch (message) {
          case TryOutcome outcome -> onOutcome(outcome);
          case NegotiationMessage.Result result -> {
            return onResult(offer, answer, result);
          }
          default -> throw new UpstreamSession.ProtocolViolation("sent "
              + message.getClass().getSimpleName() + " (expected: an outcome or the result)");
        }
      }
    } catch (PeerGoneException e) {
      peer.abort(e.getMessage());
      return ended(offer, answer, "the negotiation with " + upstream + " ended while " + step
          + ": " + e.getMessage());
    } catch (UpstreamSession.ProtocolViolation e) {
      peer.abort(e.getMessage());
      return ended(offer, answer, upstream + " broke the protocol while " + step + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      peer.abort(self.nodeId() + " is stopping");
      throw e;
    } finally {
      pending.values().forEach(Acceptance::close);
      pending.clear();
    }
  }

  private NegotiationMessage.Offer readOffer() throws NegotiationException, InterruptedException {
    NegotiationMessage first;
    try {
      first = peer.receive(settings.messageTimeout());
    } catch (PeerGoneException e) {
      peer.abort(e.getMessage());
      throw new NegotiationException("no offer: " + e.getMessage());
    }
    if (!(first instanceof NegotiationMessage.Offer offer)) {
      String problem = "the first message is " + first.getClass().getSimpleName()
          + " (expected: an offer)";
      peer.abort(problem);
      throw new NegotiationException(problem);
    }
    Optional<String> problem = problemWith(offer);
    if (problem.isPresent()) {
      peer.abort(problem.get());
      throw new NegotiationException(problem.get());
    }
    return offer;
  }

  private static Optional<String> problemWith(NegotiationMessage.Offer offer) {
    if (offer.candidates().isEmpty()) {
      return Optional.of("offer: no candidates (expected: at least one transport group)");
    }
    for (Candidate candidate : offer.candidates()) {
      if (!TransportOrder.isKnown(candidate.transport())) {
        return Optional.of("offer: unknown transport " + candidate.transport());
      }
    }
    Duration tryDeadline = offer.probe().deadline();
    if (tryDeadline.compareTo(NegotiationSettings.MAX_TRY_DEADLINE) > 0) {
      return Optional.of("offer: try deadline " + tryDeadline + " (expected: at most "
          + NegotiationSettings.MAX_TRY_DEADLINE + ")");
    }
    return Optional.empty();
  }

  private List<Candidate> answerCandidates(NegotiationMessage.Offer offer, LinkContext link)
      throws InterruptedException {
    List<Candidate> answers = new ArrayList<>();
    for (Candidate.Available offered : offer.offered()) {
      answers.add(answer(offered, link));
    }
    return answers;
  }

  private Candidate answer(Candidate.Available offered, LinkContext link)
      throws InterruptedException {
    String group = offered.transport();
    if (!negotiator.order().contains(group)) {
      return UpstreamSession.unavailable(group, FallbackReason.NOT_OFFERED,
          group + " is not in " + self.nodeId() + "'s fabric.order");
    }
    Optional<StageTransport> transport = negotiator.transport(group);
    if (transport.isEmpty()) {
      return UpstreamSession.unavailable(group, FallbackReason.NOT_OFFERED,
          self.nodeId() + " has no " + group + " transport");
    }
    if (TransportOrder.needsSameHost(group) && !link.sameHost()) {
      return UpstreamSession.unavailable(group, FallbackReason.NOT_SAME_HOST,
          UpstreamSession.hosts(link));
    }
    try {
      Acceptance acceptance = calls.call("accept-" + group, settings.prepareTimeout(),
          FallbackReason.TRANSPORT_ERROR,
          "accept did not finish within " + UpstreamSession.millis(settings.prepareTimeout()),
          () -> transport.get().accept(offered.endpoint(), link), Acceptance::close);
      pending.put(group, acceptance);
      return new Candidate.Available(group, acceptance.endpoint());
    } catch (ProbeFailure failure) {
      return new Candidate.Unavailable(Fallback.of(group, failure));
    }
  }

  private void onOutcome(TryOutcome outcome) throws UpstreamSession.ProtocolViolation {
    String expected = pending.isEmpty() ? null : pending.keySet().iterator().next();
    boolean succeededBefore = outcomes.stream().anyMatch(TryOutcome.Succeeded.class::isInstance);
    if (succeededBefore || !outcome.transport().equals(expected)) {
      throw new UpstreamSession.ProtocolViolation("an outcome for " + outcome.transport()
          + " (expected: " + (succeededBefore || expected == null ? "the result" : expected)
          + ")");
    }
    // Its try is over, whatever came of it: the responder is not needed any more.
    pending.remove(expected).close();
    outcomes.add(outcome);
  }

  private NegotiatedLink onResult(NegotiationMessage.Offer offer,
      NegotiationMessage.Answer answer, NegotiationMessage.Result result)
      throws PeerGoneException, UpstreamSession.ProtocolViolation {
    NegotiatedLink derived;
    try {
      derived = LinkDecision.decide(offer, Optional.of(answer), outcomes,
          result.link().negotiatedAt(), result.aborted());
    } catch (IllegalArgumentException e) {
      throw new UpstreamSession.ProtocolViolation(e.getMessage());
    }
    if (derived.toLinkStatus().equals(result.link())) {
      peer.send(new NegotiationMessage.Ack(true, ""));
      peer.close();
      return derived;
    }
    String detail = "downstream " + self.nodeId() + " derived " + derived.summary();
    LOG.warn("fabric {} {}: the upstream's result {} differs from ours: {}",
        offer.negotiationId(), offer.label(), result.link(), detail);
    peer.send(new NegotiationMessage.Ack(false, detail));
    peer.close();
    return LinkDecision.disagreed(derived, detail);
  }

  private NegotiatedLink ended(NegotiationMessage.Offer offer,
      NegotiationMessage.Answer answer, String reason) {
    LOG.info("fabric {} {}: {}", offer.negotiationId(), offer.label(), reason);
    return LinkDecision.decide(offer, Optional.ofNullable(answer), outcomes,
        negotiator.clock().instant(), Optional.of(reason));
  }
}
