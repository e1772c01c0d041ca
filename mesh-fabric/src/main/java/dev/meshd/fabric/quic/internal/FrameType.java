package dev.meshd.fabric.quic.internal;

/** What a frame on a stage stream carries. The codes are on the wire: never renumber. */
public enum FrameType {
  /** A stage message: the pipeline's data path. */
  DATA(1),
  /** Probe: a round trip for the RTT; the payload is echoed. */
  PING(2),
  /** Probe: the echo of a {@link #PING} with the same sequence and payload. */
  PONG(3),
  /** Probe: one bulk message, verified by its CRC32C and counted by the receiver. */
  PROBE_DATA(4),
  /** Probe: the sender is done; payload = messages (u64), bytes (u64) it sent. */
  PROBE_END(5),
  /** Probe: the receiver verified the bulk; payload = messages (u64), bytes (u64) verified. */
  PROBE_ACK(6),
  /** The sender found this stream unusable and closes it; payload = code (u8), UTF-8 detail. */
  ERROR(7);

  private static final FrameType[] BY_CODE = new FrameType[8];

  static {
    for (FrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type with {@code code}, or null for a code this version does not know. */
  public static FrameType of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
