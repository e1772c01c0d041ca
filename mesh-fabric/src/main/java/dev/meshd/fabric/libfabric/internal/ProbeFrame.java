package dev.meshd.fabric.libfabric.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 24-byte header every libfabric probe message starts with, little-endian:
 *
 * <pre>
 *  0  u16  magic 0x4D46 ("FM")     2  u8 version (1)     3  u8 type
 *  4  i32  CRC32C of the payload (DATA), else 0
 *  8  i64  session: chosen by the client, names the probe at the responder
 * 16  i64  sequence: ping number, message number, count (DONE, OK) or first bad message
 * 24  ...  payload
 * </pre>
 *
 * <p>Types, client → responder: {@code HELLO} (payload: i32 message bytes, i32 address length,
 * the client's address), {@code PING} (any payload, echoed), {@code DATA} (probe payload),
 * {@code DONE} (sequence = messages sent), {@code BYE} (the client leaves without a verdict, after
 * a ping-pong or when it gives up), {@code WRITTEN} (RMA: the message of this sequence was
 * written with {@code fi_write} into the responder's registered region; CRC32C of it in the
 * header, payload: i32 slot, i32 length). Responder → client: {@code HELLO_ACK} (payload: i32
 * largest message it accepts), {@code PONG} (the ping, echoed), {@code OK} (sequence = messages
 * verified), {@code MISMATCH} (sequence = first message whose CRC32C did not match),
 * {@code CREDIT} (RMA: the message of this sequence was checked, its slot may be written
 * again).
 *
 * <p>Stateless; every method reads or writes the segment it is given.
 */
public final class ProbeFrame {

  public static final int HEADER_BYTES = 24;

  public static final byte HELLO = 1;
  public static final byte HELLO_ACK = 2;
  public static final byte PING = 3;
  public static final byte PONG = 4;
  public static final byte DATA = 5;
  public static final byte DONE = 6;
  public static final byte OK = 7;
  public static final byte MISMATCH = 8;
  public static final byte BYE = 9;
  public static final byte WRITTEN = 10;
  public static final byte CREDIT = 11;

  private static final short MAGIC = 0x4D46;
  private static final byte VERSION = 1;
  private static final ValueLayout.OfShort SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private ProbeFrame() {}

  /** Writes a header at the start of {@code frame}. */
  public static void write(MemorySegment frame, byte type, int crc, long session,
      long sequence) {
    frame.set(SHORT, 0, MAGIC);
    frame.set(ValueLayout.JAVA_BYTE, 2, VERSION);
    frame.set(ValueLayout.JAVA_BYTE, 3, type);
    frame.set(INT, 4, crc);
    frame.set(LONG, 8, session);
    frame.set(LONG, 16, sequence);
  }

  /** Whether the first {@code length} bytes of {@code frame} start with a header of ours. */
  public static boolean valid(MemorySegment frame, long length) {
    return length >= HEADER_BYTES && frame.get(SHORT, 0) == MAGIC
        && frame.get(ValueLayout.JAVA_BYTE, 2) == VERSION;
  }

  public static byte type(MemorySegment frame) {
    return frame.get(ValueLayout.JAVA_BYTE, 3);
  }

  public static void setType(MemorySegment frame, byte type) {
    frame.set(ValueLayout.JAVA_BYTE, 3, type);
  }

  public static int crc(MemorySegment frame) {
    return frame.get(INT, 4);
  }

  public static long session(MemorySegment frame) {
    return frame.get(LONG, 8);
  }

  public static long sequence(MemorySegment frame) {
    return frame.get(LONG, 16);
  }

  public static void setSequence(MemorySegment frame, long sequence) {
    frame.set(LONG, 16, sequence);
  }

  /** The i32 at payload offset {@code offset}. */
  public static int payloadInt(MemorySegment frame, long offset) {
    return frame.get(INT, HEADER_BYTES + offset);
  }

  /** Writes an i32 at payload offset {@code offset}. */
  public static void setPayloadInt(MemorySegment frame, long offset, int value) {
    frame.set(INT, HEADER_BYTES + offset, value);
  }
}
