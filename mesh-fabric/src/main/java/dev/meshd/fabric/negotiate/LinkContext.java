package dev.meshd.fabric.negotiate;

import java.util.Objects;

/**
 * What a transport is told about the link it is asked to serve: this end, the other end, and a
 * label for its logs. Immutable.
 *
 * @param local this agent's end
 * @param peer the other agent's end, as it declared itself in the offer or answer (or, before
 *     the answer, as its capability record says)
 * @param label {@code placement/0->1} for a placement link, {@code probe} for an operator's
 *     probe; only for logs
 */
public record LinkContext(LinkEnd local, LinkEnd peer, String label) {

  public LinkContext {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(peer, "peer");
    label = Objects.requireNonNullElse(label, "");
  }

  /** Both ends on one host, so NVLink or XGMI may join them. */
  public boolean sameHost() {
    return local.sameHostAs(peer);
  }
}
