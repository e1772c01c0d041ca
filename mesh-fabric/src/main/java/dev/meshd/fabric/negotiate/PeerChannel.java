package dev.meshd.fabric.negotiate;

import java.time.Duration;

/**
 * The message path to the other end of one negotiation: in the agent a {@code
 * FabricService.Negotiate} stream, in tests an in-memory pair. Used by one session thread;
 * {@link #close()} and {@link #abort} may also be called from another thread and are idempotent.
 */
public interface PeerChannel {

  /**
   * Sends one message.
   *
   * @throws PeerGoneException when the exchange has already ended (the peer went away)
   */
  void send(NegotiationMessage message) throws PeerGoneException;

  /**
   * The next message from the peer, waiting at most {@code timeout}.
   *
   * @throws PeerGoneException when the peer ended the exchange, it failed, or nothing came in
   *     time; the message says which, in words
   */
  NegotiationMessage receive(Duration timeout) throws PeerGoneException, InterruptedException;

  /** Ends the exchange normally, after the last message. */
  void close();

  /** Ends the exchange abnormally, telling the peer {@code reason} when the path allows. */
  void abort(String reason);
}
