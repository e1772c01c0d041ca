package dev.meshd.fabric.quic.internal;

import java.util.Objects;

/**
 * A frame that cannot be accepted. The {@link Kind} travels to the peer in an
 * {@link FrameType#ERROR} frame, so both ends can say the same thing about why the stream ended.
 */
public final class FrameException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why, with its code on the wire (never renumber). */
  public enum Kind {
    /** The header is not one of ours: an unknown type. */
    MALFORMED(1),
    /** The payload's CRC32C does not match the header. */
    CHECKSUM_MISMATCH(2),
    /** The declared length exceeds the receiver's maximum frame size. */
    OVERSIZED(3),
    /** A valid frame at the wrong time: a sequence gap, an acknowledgement nobody asked for. */
    UNEXPECTED(4),
    /** A frame this end does not serve (stage data to a probe-only server). */
    UNSUPPORTED(5),
    /** The peer sent a code this version does not know. */
    UNKNOWN(0);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      return UNKNOWN;
    }
  }

  private final Kind kind;

  public FrameException(Kind kind, String detail) {
    super(Objects.requireNonNull(detail, "detail"));
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }
}
