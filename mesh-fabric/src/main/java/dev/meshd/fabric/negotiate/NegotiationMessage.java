package dev.meshd.fabric.negotiate;

import dev.meshd.core.policy.LinkStatus;
import dev.meshd.fabric.probe.ProbeSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The messages of one negotiation, in the order they are sent (docs/fabric.md, "Negotiation
 * protocol"): {@link Offer} (upstream), {@link Answer} (downstream), one {@link TryOutcome} per
 * try (upstream), {@link Result} (upstream), {@link Ack} (downstream). Domain records: the agent
 * maps them to and from {@code meshd.v1.NegotiateRequest}/{@code NegotiateResponse}. Immutable.
 */
public sealed interface NegotiationMessage
    permits NegotiationMessage.Offer, NegotiationMessage.Answer, TryOutcome,
        NegotiationMessage.Result, NegotiationMessage.Ack {

  /**
   * Step 1: every group of the upstream's order (QUIC last), each offered with an endpoint or
   * unavailable with a reason; the probe every try will run; its per-try deadline is {@code
   * probe.deadline()}.
   */
  record Offer(
      String negotiationId, LinkEnd upstream, List<Candidate> candidates, ProbeSpec probe,
      String label) implements NegotiationMessage {
    public Offer {
      Objects.requireNonNull(negotiationId, "negotiationId");
      Objects.requireNonNull(upstream, "upstream");
      candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
      Objects.requireNonNull(probe, "probe");
      label = Objects.requireNonNullElse(label, "");
      requireDistinct(candidates);
    }

    /** The offered (available) candidates, in order: the ones the answer must answer. */
    public List<Candidate.Available> offered() {
      return candidates.stream()
          .filter(Candidate.Available.class::isInstance)
          .map(Candidate.Available.class::cast)
          .toList();
    }
  }

  /** Step 2: one candidate per offered one, in the offer's order: accepted or refused. */
  record Answer(LinkEnd downstream, List<Candidate> candidates) implements NegotiationMessage {
    public Answer {
      Objects.requireNonNull(downstream, "downstream");
      candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
      requireDistinct(candidates);
    }

    /** The answer for {@code transport}, if any. */
    public Optional<Candidate> forTransport(String transport) {
      return candidates.stream().filter(c -> c.transport().equals(transport)).findFirst();
    }
  }

  /**
   * Step 4: the link as the upstream derived it, and, when it stopped trying early, why (its
   * overall deadline passed); the downstream derives its own from the same inputs.
   */
  record Result(LinkStatus link, Optional<String> aborted) implements NegotiationMessage {
    public Result {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(aborted, "aborted");
      if (link.negotiatedAt() == null) {
        throw new IllegalArgumentException("link.negotiatedAt: null (expected: a time)");
      }
    }
  }

  /** Step 5: whether the downstream's own derivation matches; if not, what it derived. */
  record Ack(boolean agreed, String detail) implements NegotiationMessage {
    public Ack {
      detail = Objects.requireNonNullElse(detail, "");
    }
  }

  private static void requireDistinct(List<Candidate> candidates) {
    Set<String> seen = new HashSet<>();
    for (Candidate candidate : candidates) {
      if (!seen.add(candidate.transport())) {
        throw new IllegalArgumentException("candidates: " + candidate.transport()
            + " appears twice (expected: each transport group once)");
      }
    }
  }
}
