package dev.meshd.fabric.negotiate;

/**
 * The other end of a negotiation is gone: it closed or failed the exchange, or sent nothing
 * within the step's deadline. The message says which, in words, for the link's reason.
 */
public final class PeerGoneException extends Exception {
  private static final long serialVersionUID = 1L;

  public PeerGoneException(String message) {
    super(message);
  }
}
