package dev.meshd.core.policy;

/** Where the negotiation of a {@link StageLink} stands. */
public enum LinkState {
  /** Not negotiated yet: the placement was just written. */
  PENDING,
  /** Both ends agreed on a transport and the payload probe passed. */
  UP,
  /** Working on a fallback transport, slower than the preferred one. */
  DEGRADED,
  /** No transport worked; {@link LinkStatus#reason()} says why. */
  FAILED,
  /**
   * An end of the link is dead or has left the fleet, so whatever was negotiated no longer
   * carries anything; {@link LinkStatus#reason()} names the node. Renegotiated when it is back.
   */
  DOWN;

  /** Whether the link cannot carry a request now (FAILED or DOWN). */
  public boolean isBroken() {
    return this == FAILED || this == DOWN;
  }
}
