package dev.meshd.agent.fabric;

import java.util.Objects;

/**
 * Why this agent will not negotiate or probe as asked, before anything is sent: the service maps
 * {@link #kind()} to a status code at the wire edge.
 */
final class FabricRefusal extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal, i.e. which status code. */
  enum Kind {
    /** A request field is wrong: INVALID_ARGUMENT. */
    INVALID,
    /** The peer node is not a fleet member: NOT_FOUND. */
    UNKNOWN_PEER,
    /** This agent has no transport that could serve: FAILED_PRECONDITION. */
    NO_TRANSPORT,
    /** The peer cannot be reached now: UNAVAILABLE. */
    PEER_UNAVAILABLE
  }

  private final Kind kind;

  FabricRefusal(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  Kind kind() {
    return kind;
  }
}
