package dev.meshd.fabric.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * What a payload probe sends, and how long it may take in all.
 *
 * @param pings small round trips measured for the RTT; at least 1
 * @param messageBytes payload bytes per bulk message; 1 byte to 16 MiB
 * @param messages bulk messages; at least 1
 * @param deadline the whole probe (connect, pings, bulk, acknowledgement) must end within it
 */
public record ProbeSpec(int pings, int messageBytes, int messages, Duration deadline) {
  /** Largest bulk message: bounded so a probe never asks a transport for an absurd buffer. */
  public static final int MAX_MESSAGE_BYTES = 16 << 20;

  public ProbeSpec {
    Objects.requireNonNull(deadline, "deadline");
    if (pings < 1) {
      throw new IllegalArgumentException("pings: " + pings + " (expected: >= 1)");
    }
    if (messageBytes < 1 || messageBytes > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "messageBytes: " + messageBytes + " (expected: 1-" + MAX_MESSAGE_BYTES + ")");
    }
    if (messages < 1) {
      throw new IllegalArgumentException("messages: " + messages + " (expected: >= 1)");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
    }
  }

  /**
   * The probe negotiation runs by default: 16 pings, 64 x 1 MiB (64 MiB, enough to leave slow
   * start and measure a steady rate on a fast link, short enough for a 5 s deadline at QUIC
   * speeds).
   */
  public static ProbeSpec standard() {
    return new ProbeSpec(16, 1 << 20, 64, Duration.ofSeconds(5));
  }

  /** Total payload bytes of the bulk phase. */
  public long totalBytes() {
    return (long) messageBytes * messages;
  }
}
