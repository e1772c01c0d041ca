package dev.meshd.fabric.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The wire format of a stage stream: a sequence of frames, each
 *
 * <pre>
 *   type      u8    {@link FrameType} code
 *   sequence  u64   big-endian
 *   length    u32   payload bytes, at most the receiver's maximum
 *   crc32c    u32   CRC32C of the payload
 *   payload   length bytes
 * </pre>
 *
 * <p>The checksum guards against bugs between the two applications (a buffer reused too early,
 * a torn copy), which QUIC's AEAD cannot see: AEAD protects the packets, not our buffers.
 * Stateless and thread-safe.
 */
public final class FrameCodec {
  /** Bytes before the payload. */
  public static final int HEADER_BYTES = 1 + Long.BYTES + Integer.BYTES + Integer.BYTES;

  private static final int LENGTH_OFFSET = 1 + Long.BYTES;
  private static final int CRC_OFFSET = LENGTH_OFFSET + Integer.BYTES;
  /** Enough for any error text we write, small enough that a broken peer cannot flood us. */
  private static final int MAX_ERROR_DETAIL_BYTES = 1024;

  private FrameCodec() {}

  /**
   * A direct buffer holding the frame for {@code payload} (from its position to its limit; the
   * buffer is not moved), with the checksum computed here.
   */
  public static ByteBuf encode(
      ByteBufAllocator alloc, FrameType type, long sequence, ByteBuffer payload) {
    int length = payload.remaining();
    ByteBuf frame = alloc.directBuffer(HEADER_BYTES + length);
    writeHeader(frame, type, sequence, length, crc32c(payload));
    frame.writeBytes(payload.duplicate());
    return frame;
  }

  /**
   * A frame whose payload the caller writes in place: a direct buffer with the header reserved
   * and {@code length} payload bytes at {@link #HEADER_BYTES}, to be finished by
   * {@link #seal}. Saves a copy of large probe messages.
   */
  public static ByteBuf allocate(ByteBufAllocator alloc, int length) {
    ByteBuf frame = alloc.directBuffer(HEADER_BYTES + length);
    frame.writerIndex(HEADER_BYTES + length);
    return frame;
  }

  /** Writes the header of a frame from {@link #allocate}; returns the payload's checksum. */
  public static int seal(ByteBuf frame, FrameType type, long sequence) {
    int length = frame.writerIndex() - HEADER_BYTES;
    int crc = crc32c(frame, HEADER_BYTES, length);
    int writerIndex = frame.writerIndex();
    frame.writerIndex(0);
    writeHeader(frame, type, sequence, length, crc);
    frame.writerIndex(writerIndex);
    return crc;
  }

  /** An {@link FrameType#ERROR} frame. */
  public static ByteBuf encodeError(ByteBufAllocator alloc, FrameException.Kind kind,
      String detail) {
    byte[] text = detail.getBytes(StandardCharsets.UTF_8);
    int textLength = Math.min(text.length, MAX_ERROR_DETAIL_BYTES);
    ByteBuffer payload = ByteBuffer.allocate(1 + textLength);
    payload.put((byte) kind.code()).put(text, 0, textLength).flip();
    return encode(alloc, FrameType.ERROR, 0, payload);
  }

  /** The kind of an {@link FrameType#ERROR} frame's payload. */
  public static FrameException.Kind errorKind(ByteBuf payload) {
    return payload.isReadable()
        ? FrameException.Kind.of(payload.getUnsignedByte(payload.readerIndex()))
        : FrameException.Kind.UNKNOWN;
  }

  /** The detail of an {@link FrameType#ERROR} frame's payload. */
  public static String errorDetail(ByteBuf payload) {
    return payload.readableBytes() <= 1 ? "" : payload.toString(payload.readerIndex() + 1,
        Math.min(payload.readableBytes() - 1, MAX_ERROR_DETAIL_BYTES), StandardCharsets.UTF_8);
  }

  /**
   * Takes the next whole frame from {@code in}, or returns null (and reads nothing) when it
   * holds less than one frame. The payload is a retained slice of {@code in}.
   *
   * @throws FrameException for an unknown type, a declared length over {@code maxPayloadBytes}
   *     (raised as soon as the header is in, before waiting for the bytes), or a checksum that
   *     does not match; {@code in} is left where the bad frame starts
   */
  public static Frame decode(ByteBuf in, int maxPayloadBytes) throws FrameException {
    if (in.readableBytes() < HEADER_BYTES) {
      return null;
    }
    int start = in.readerIndex();
    int code = in.getUnsignedByte(start);
    long sequence = in.getLong(start + 1);
    long length = in.getUnsignedInt(start + LENGTH_OFFSET);
    FrameType type = FrameType.of(code);
    if (type == null) {
      throw new FrameException(FrameException.Kind.MALFORMED,
          "unknown frame type " + code + " (sequence " + sequence + ")");
    }
    if (length > maxPayloadBytes) {
      throw new FrameException(FrameException.Kind.OVERSIZED, type + " frame " + sequence
          + " declares " + length + " payload bytes (maximum: " + maxPayloadBytes + ")");
    }
    if (in.readableBytes() < HEADER_BYTES + length) {
      return null;
    }
    int declared = in.getInt(start + CRC_OFFSET);
    int actual = crc32c(in, start + HEADER_BYTES, (int) length);
    if (declared != actual) {
      throw new FrameException(FrameException.Kind.CHECKSUM_MISMATCH, String.format(
          "%s frame %d: CRC32C of its %d bytes is %08x, the header says %08x",
          type, sequence, length, actual, declared));
    }
    in.skipBytes(HEADER_BYTES);
    return new Frame(type, sequence, declared, in.readRetainedSlice((int) length));
  }

  /** CRC32C of {@code length} bytes of {@code buf} from {@code index}; indexes are not moved. */
  public static int crc32c(ByteBuf buf, int index, int length) {
    CRC32C crc = new CRC32C();
    if (buf.nioBufferCount() >= 0) {
      for (ByteBuffer part : buf.nioBuffers(index, length)) {
        crc.update(part);
      }
    } else {
      byte[] bytes = new byte[length];
      buf.getBytes(index, bytes);
      crc.update(bytes);
    }
    return (int) crc.getValue();
  }

  private static int crc32c(ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    return (int) crc.getValue();
  }

  private static void writeHeader(ByteBuf frame, FrameType type, long sequence, int length,
      int crc) {
    frame.writeByte(type.code()).writeLong(sequence).writeInt(length).writeInt(crc);
  }
}
