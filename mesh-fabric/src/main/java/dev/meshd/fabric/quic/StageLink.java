package dev.meshd.fabric.quic;

import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * One stage link over QUIC: a bidirectional stream on its own connection between two agents,
 * carrying framed stage messages in both directions, and able to run the payload probe.
 *
 * <p>Thread-safety: {@link #send} may be called from several threads (messages keep the order
 * in which the calls got through); {@link #receive} likewise. Both block, so call them from
 * virtual threads, never from a Netty event loop. One {@link #probe} runs at a time per link,
 * beside stage traffic.
 *
 * <p>A link ends when either side closes it, when the connection fails, or when a frame cannot
 * be accepted (bad checksum, over the maximum size, out of sequence): the side that found the
 * fault tells the other in an ERROR frame and both see a {@link StageLinkException}.
 */
public interface StageLink extends AutoCloseable {

  /**
   * Sends one message, waiting while the link is backpressured (the peer or QUIC flow control
   * is behind).
   *
   * @param payload the bytes from its position to its limit; copied, so the caller may reuse
   *     the buffer when this returns
   * @return false when the message could not be handed over within {@code timeout}; nothing was
   *     sent then
   * @throws StageLinkException when the link has ended
   * @throws IllegalArgumentException when the payload exceeds the configured maximum frame
   */
  boolean send(ByteBuffer payload, Duration timeout)
      throws StageLinkException, InterruptedException;

  /**
   * The next message, in order, waiting up to {@code timeout}; empty if none arrived in time.
   * Messages that arrived before the link ended are still delivered.
   *
   * @throws StageLinkException once the link has ended and everything before was received
   */
  Optional<StageMessage> receive(Duration timeout)
      throws StageLinkException, InterruptedException;

  /**
   * Runs the payload probe ({@link dev.meshd.fabric.probe}) over this link: pings, then bulk
   * messages verified by the peer, all within {@code spec.deadline()}. A failed probe closes the
   * link (its stream state is no longer known).
   */
  ProbeResult probe(ProbeSpec spec) throws ProbeFailure;

  /** The SHA-256 fingerprint of the certificate the peer presented. */
  String peerCertificateSha256();

  /** The peer's UDP address. */
  SocketAddress remoteAddress();

  /** True until the link has ended. */
  boolean isOpen();

  /**
   * Closes the link and its connection. Idempotent. Messages the peer has not yet received are
   * dropped: to end cleanly, wait for the peer's answer to the last message first.
   */
  @Override
  void close();
}
