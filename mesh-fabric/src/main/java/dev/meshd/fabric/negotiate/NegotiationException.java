package dev.meshd.fabric.negotiate;

/**
 * A downstream could not take part in a negotiation at all: no offer came, or the offer broke
 * the protocol. No link results; the message says why, in words.
 */
public final class NegotiationException extends Exception {
  private static final long serialVersionUID = 1L;

  public NegotiationException(String message) {
    super(message);
  }
}
