package dev.meshd.fabric.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * A decoded frame. Its payload is reference-counted: whoever receives a frame releases it
 * ({@link #release()}) once done, like any Netty message.
 *
 * @param type what it carries
 * @param sequence per type and direction, starting at 0 (DATA) or as the probe numbers them
 * @param crc32c the checksum the sender declared, already verified against the payload
 * @param payload the bytes, {@code readableBytes()} long
 */
public record Frame(FrameType type, long sequence, int crc32c, ByteBuf payload) {
  public Frame {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
  }

  public int length() {
    return payload.readableBytes();
  }

  /** Releases the payload; returns true when it was freed. */
  public boolean release() {
    return ((ReferenceCounted) payload).release();
  }
}
