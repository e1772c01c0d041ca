package dev.meshd.fabric.negotiate;

import java.util.Objects;

/**
 * One transport group in an offer or an answer: available with an endpoint, or unavailable with
 * the reason. Immutable.
 */
public sealed interface Candidate {

  /** The {@code fabric.order} group. */
  String transport();

  /** Offered (upstream) or accepted (downstream), with this end's endpoint. */
  record Available(String transport, TransportEndpoint endpoint) implements Candidate {
    public Available {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /** Not offered (upstream) or refused (downstream), and why. */
  record Unavailable(Fallback fallback) implements Candidate {
    public Unavailable {
      Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public String transport() {
      return fallback.transport();
    }
  }
}
