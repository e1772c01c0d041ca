package dev.meshd.fabric.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * The receiving side of the payload probe on one stream: counts the bulk messages (their
 * checksums were verified by the decoder), checks that none is missing or out of order, and
 * acknowledges the count when the sender says it is done. Event-loop confined.
 */
final class ProbeResponder {
  private long expectedSequence;
  private long verifiedMessages;
  private long verifiedBytes;

  void onData(Frame frame) throws FrameException {
    if (frame.sequence() != expectedSequence) {
      throw new FrameException(FrameException.Kind.UNEXPECTED, "probe message "
          + frame.sequence() + " arrived, expected " + expectedSequence);
    }
    expectedSequence++;
    verifiedMessages++;
    verifiedBytes += frame.length();
  }

  /** The PROBE_ACK for a PROBE_END; the responder is then ready for the next probe. */
  ByteBuf onEnd(ByteBufAllocator alloc, Frame end) throws FrameException {
    if (end.length() != 2 * Long.BYTES) {
      throw new FrameException(FrameException.Kind.MALFORMED,
          "PROBE_END carries " + end.length() + " bytes (expected: 16)");
    }
    ByteBuffer ack = ByteBuffer.allocate(2 * Long.BYTES);
    ack.putLong(verifiedMessages).putLong(verifiedBytes).flip();
    expectedSequence = 0;
    verifiedMessages = 0;
    verifiedBytes = 0;
    return FrameCodec.encode(alloc, FrameType.PROBE_ACK, end.sequence(), ack);
  }
}
