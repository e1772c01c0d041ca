package dev.meshd.gossip;

import dev.meshd.core.security.ClusterKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Seals gossip payloads with HMAC-SHA256 under a key derived from the cluster key, and opens
 * them again.
 *
 * <p>Layout: {@code "MSH" | version (1) | flags (1) | [mac (32)] | payload}. Flag bit 0 says a
 * MAC is present. The MAC covers the header and the payload. Without a cluster key, payloads
 * travel unsigned and signed ones are refused, so two fleets with and without a key never mix.
 * Immutable and thread-safe.
 */
public final class RecordEnvelope {

  private static final byte[] MAGIC = {'M', 'S', 'H'};
  private static final byte VERSION = 1;
  private static final byte FLAG_MAC = 1;
  private static final int HEADER = MAGIC.length + 2;
  private static final int MAC_LENGTH = 32;

  private final Optional<byte[]> macKey;

  private RecordEnvelope(Optional<byte[]> macKey) {
    this.macKey = macKey;
  }

  /** Signs with a key derived from {@code clusterKey} for gossip. */
  public static RecordEnvelope signed(ClusterKey clusterKey) {
    return new RecordEnvelope(Optional.of(clusterKey.derive("gossip-record/v1")));
  }

  /** No cluster key configured: payloads travel unsigned. */
  public static RecordEnvelope unsigned() {
    return new RecordEnvelope(Optional.empty());
  }

  public boolean isSigned() {
    return macKey.isPresent();
  }

  public byte[] seal(byte[] payload) {
    byte flags = macKey.isPresent() ? FLAG_MAC : 0;
    int macLength = macKey.isPresent() ? MAC_LENGTH : 0;
    ByteBuffer out = ByteBuffer.allocate(HEADER + macLength + payload.length);
    out.put(MAGIC).put(VERSION).put(flags);
    if (macKey.isPresent()) {
      byte[] header = Arrays.copyOf(out.array(), HEADER);
      out.put(ClusterKey.hmacSha256(macKey.get(), header, payload));
    }
    out.put(payload);
    return out.array();
  }

  /** The payload of a sealed envelope, or why it was refused. */
  public Opened open(byte[] sealed) {
    if (sealed.length < HEADER
        || !Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || sealed[MAGIC.length] != VERSION) {
      return Opened.rejected(RejectionReason.MALFORMED);
    }
    boolean hasMac = (sealed[MAGIC.length + 1] & FLAG_MAC) != 0;
    if (macKey.isEmpty()) {
      return hasMac
          ? Opened.rejected(RejectionReason.UNEXPECTED_MAC)
          : Opened.accepted(Arrays.copyOfRange(sealed, HEADER, sealed.length));
    }
    if (!hasMac) {
      return Opened.rejected(RejectionReason.BAD_MAC);
    }
    if (sealed.length < HEADER + MAC_LENGTH) {
      return Opened.rejected(RejectionReason.MALFORMED);
    }
    byte[] header = Arrays.copyOf(sealed, HEADER);
    byte[] mac = Arrays.copyOfRange(sealed, HEADER, HEADER + MAC_LENGTH);
    byte[] payload = Arrays.copyOfRange(sealed, HEADER + MAC_LENGTH, sealed.length);
    byte[] expected = ClusterKey.hmacSha256(macKey.get(), header, payload);
    return ClusterKey.constantTimeEquals(mac, expected)
        ? Opened.accepted(payload)
        : Opened.rejected(RejectionReason.BAD_MAC);
  }

  /**
   * Result of {@link #open}: exactly one of payload and rejection is present.
   *
   * @param payload the authenticated payload
   * @param rejection why it was refused
   */
  public record Opened(Optional<byte[]> payload, Optional<RejectionReason> rejection) {
    static Opened accepted(byte[] payload) {
      return new Opened(Optional.of(payload), Optional.empty());
    }

    static Opened rejected(RejectionReason reason) {
      return new Opened(Optional.empty(), Optional.of(reason));
    }
  }
}
