package dev.meshd.fabric.negotiate;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.policy.LinkState;
import dev.meshd.fabric.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that turn an offer, an answer and the try outcomes into a {@link NegotiatedLink}. A
 * pure function: both ends apply it to the same messages and so derive the same link, which is
 * how the downstream checks the upstream's result before acknowledging it. Stateless.
 *
 * <p>Rules, in the offer's order: a candidate the upstream could not offer, or the downstream
 * refused, is skipped with its reason; each accepted one is tried (one outcome each) until one
 * succeeds, and nothing after it is listed. The state is UP when the chosen transport was
 * preceded only by absences (not there: different hosts, no provider, ...), DEGRADED when a
 * faster transport was there and failed (a fault: timeout, checksum mismatch, ...), FAILED when
 * nothing succeeded.
 */
public final class LinkDecision {

  private LinkDecision() {}

  /**
   * The link the messages of one negotiation give.
   *
   * @param answer empty when the downstream never answered
   * @param outcomes one per accepted candidate tried, in order
   * @param negotiatedAt the upstream's time of decision
   * @param aborted why the upstream stopped before the candidates ran out, if it did
   * @throws IllegalArgumentException when the outcomes do not follow the accepted candidates
   */
  public static NegotiatedLink decide(
      NegotiationMessage.Offer offer,
      Optional<NegotiationMessage.Answer> answer,
      List<TryOutcome> outcomes,
      Instant negotiatedAt,
      Optional<String> aborted) {
    Objects.requireNonNull(offer, "offer");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(negotiatedAt, "negotiatedAt");
    Objects.requireNonNull(aborted, "aborted");
    List<TransportTry> tries = new ArrayList<>();
    Iterator<TryOutcome> next = outcomes.iterator();
    TransportTry chosen = null;
    for (Candidate offered : offer.candidates()) {
      if (offered instanceof Candidate.Unavailable unavailable) {
        tries.add(TransportTry.skipped(unavailable.fallback()));
        continue;
      }
      Optional<Candidate> answered = answer.flatMap(a -> a.forTransport(offered.transport()));
      if (answered.isEmpty()) {
        break; // never answered: the negotiation ended before this candidate
      }
      if (answered.get() instanceof Candidate.Unavailable refused) {
        tries.add(TransportTry.skipped(refused.fallback()));
        continue;
      }
      if (!next.hasNext()) {
        break; // not tried: the upstream stopped (aborted) before it
      }
      TryOutcome outcome = next.next();
      if (!outcome.transport().equals(offered.transport())) {
        throw new IllegalArgumentException("outcome for " + outcome.transport()
            + " (expected: for " + offered.transport() + ", the next accepted transport)");
      }
      FabricClass fabricClass =
          ((Candidate.Available) answered.get()).endpoint().fabricClass();
      switch (outcome) {
        case TryOutcome.Failed failed -> tries.add(TransportTry.failed(failed.fallback(),
            fabricClass));
        case TryOutcome.Succeeded succeeded -> {
          chosen = TransportTry.succeeded(succeeded.transport(), succeeded.measured(),
              fabricClass);
          tries.add(chosen);
        }
      }
      if (chosen != null) {
        break;
      }
    }
    if (next.hasNext()) {
      throw new IllegalArgumentException("outcome for " + next.next().transport()
          + " (expected: none; every accepted transport had its outcome)");
    }
    return chosen != null
        ? established(chosen, tries, negotiatedAt)
        : failed(tries, negotiatedAt, aborted.orElseGet(() -> failureReason(tries)));
  }

  /**
   * The link an end holds when the other disagreed with its result: FAILED, same tries, with
   * the disagreement as the reason. Such a link is never used.
   */
  public static NegotiatedLink disagreed(NegotiatedLink link, String detail) {
    return failed(link.tries(), link.negotiatedAt(), "the two ends disagree: " + detail);
  }

  /** FAILED with {@code reason}, after {@code tries}. */
  static NegotiatedLink failed(List<TransportTry> tries, Instant at, String reason) {
    List<TransportTry> notChosen = tries.stream()
        .filter(t -> t.state() != TransportTry.State.SUCCEEDED)
        .toList();
    return new NegotiatedLink("", Optional.empty(), 0, Duration.ZERO, LinkState.FAILED, reason,
        notChosen, at);
  }

  private static NegotiatedLink established(TransportTry chosen, List<TransportTry> tries,
      Instant at) {
    ProbeResult measured = chosen.measured().orElseThrow();
    Optional<Fallback> firstFault = tries.stream()
        .flatMap(t -> t.fallback().stream())
        .filter(Fallback::isFault)
        .findFirst();
    return new NegotiatedLink(chosen.transport(), chosen.fabricClass(),
        measured.bytesPerSecond(), measured.rtt(),
        firstFault.isPresent() ? LinkState.DEGRADED : LinkState.UP,
        firstFault.map(f -> "fell back past " + f.text()).orElse(""),
        tries, at);
  }

  private static String failureReason(List<TransportTry> tries) {
    Optional<TransportTry> lastFailed = tries.stream()
        .filter(t -> t.state() == TransportTry.State.FAILED)
        .reduce((first, second) -> second);
    if (lastFailed.isPresent()) {
      return "every transport tried failed (last: "
          + lastFailed.get().fallback().orElseThrow().text() + ")";
    }
    return tries.isEmpty()
        ? "no transport to try"
        : "no transport both ends can use";
  }
}
