package dev.meshd.fabric.negotiate;

import java.util.Objects;

/**
 * What the downstream end of a negotiation holds at its end: who led it (as the offer declared)
 * and the link. Immutable.
 *
 * @param upstream the end that sent the offer
 * @param link the link, the same as the upstream's when the two agreed
 */
public record RespondedLink(LinkEnd upstream, NegotiatedLink link) {

  public RespondedLink {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(link, "link");
  }
}
