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
  FAILED
}
