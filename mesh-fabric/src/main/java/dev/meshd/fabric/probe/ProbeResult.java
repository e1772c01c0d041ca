package dev.meshd.fabric.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * What a successful payload probe measured.
 *
 * @param bytesVerified payload bytes the receiver verified by CRC32C
 * @param bytesPerSecond bulk payload bytes divided by the time from first send to final ack
 * @param rtt median of the ping round trips
 * @param elapsed the whole probe, connect included
 */
public record ProbeResult(
    long bytesVerified, double bytesPerSecond, Duration rtt, Duration elapsed) {

  public ProbeResult {
    Objects.requireNonNull(rtt, "rtt");
    Objects.requireNonNull(elapsed, "elapsed");
    if (bytesVerified < 0) {
      throw new IllegalArgumentException("bytesVerified: " + bytesVerified + " (expected: >= 0)");
    }
    if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
      throw new IllegalArgumentException(
          "bytesPerSecond: " + bytesPerSecond + " (expected: finite, >= 0)");
    }
  }
}
