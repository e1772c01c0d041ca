package dev.meshd.fabric.negotiate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The opaque bytes a transport puts in an offer or an answer so that the other end can reach it:
 * a libfabric endpoint name, a QUIC {@code host:port} and certificate fingerprint, a host id and
 * GPU indexes for NVLink. The negotiation carries them unread; only the transport of the same
 * group parses them. Immutable (the bytes are copied in and out); equal by content.
 */
public final class EndpointData {

  /** Longest endpoint data a transport may publish: far above any address, far below a probe. */
  public static final int MAX_BYTES = 4096;

  private static final EndpointData EMPTY = new EndpointData(new byte[0]);

  private final byte[] bytes;

  private EndpointData(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A copy of {@code bytes}.
   *
   * @throws IllegalArgumentException when longer than {@link #MAX_BYTES}
   */
  public static EndpointData of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "endpoint data: " + bytes.length + " bytes (expected: at most " + MAX_BYTES + ")");
    }
    return bytes.length == 0 ? EMPTY : new EndpointData(bytes.clone());
  }

  /** The UTF-8 bytes of {@code text}, for transports whose address is text. */
  public static EndpointData ofUtf8(String text) {
    return of(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
  }

  /** No data: a transport that needs none (the peer is found another way). */
  public static EndpointData empty() {
    return EMPTY;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes, read-only, without a copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** The bytes decoded as UTF-8 (malformed input replaced). */
  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public int size() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EndpointData that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** At most the first 32 bytes in hex, for logs. */
  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
    return "EndpointData[" + bytes.length + " bytes: " + hex + (bytes.length > 32 ? "…]" : "]");
  }
}
