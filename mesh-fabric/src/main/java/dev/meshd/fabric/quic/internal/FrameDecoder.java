package dev.meshd.fabric.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns a stage stream's bytes into {@link Frame}s. A frame that cannot be accepted becomes a
 * {@link FrameException} message (not an exception event), after which the decoder discards
 * everything: once framing is lost nothing later on the stream can be trusted, and the next
 * handler answers with an ERROR frame and closes the stream. Not sharable: one per stream.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxPayloadBytes;
  private boolean failed;

  public FrameDecoder(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
    // Large frames arrive in many reads; a composite cumulation avoids copying them to grow.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      Frame frame;
      while ((frame = FrameCodec.decode(in, maxPayloadBytes)) != null) {
        out.add(frame);
      }
    } catch (FrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      out.add(e);
    }
  }
}
