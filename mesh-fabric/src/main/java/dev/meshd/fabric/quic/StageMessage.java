package dev.meshd.fabric.quic;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One stage message as received: its sequence number on the link (0, 1, 2, ... per direction;
 * the receiver has checked there is no gap) and its payload, already verified by CRC32C.
 *
 * @param sequence position in the sender's stream of messages
 * @param payload read-only bytes, owned by the receiver
 */
public record StageMessage(long sequence, ByteBuffer payload) {
  public StageMessage {
    Objects.requireNonNull(payload, "payload");
  }
}
