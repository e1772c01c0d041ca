package dev.meshd.fabric.libfabric;

import java.time.Duration;
import java.util.Objects;

/**
 * A ping-pong of equal messages, measured the way {@code fi_pingpong} reports it so the two can
 * be compared: {@code usec/xfer} is the elapsed time over twice the iterations (one transfer
 * per direction), {@code MB/sec} counts the bytes of both directions in decimal megabytes.
 *
 * @param messageBytes payload bytes of each message (meshd's 24-byte header not counted)
 * @param iterations round trips
 * @param elapsed from the first ping sent to the last answer received
 */
public record PingPongResult(int messageBytes, int iterations, Duration elapsed) {

  public PingPongResult {
    Objects.requireNonNull(elapsed, "elapsed");
    if (messageBytes < 0 || iterations < 1 || elapsed.isNegative() || elapsed.isZero()) {
      throw new IllegalArgumentException("messageBytes: " + messageBytes + ", iterations: "
          + iterations + ", elapsed: " + elapsed + " (expected: >= 0, >= 1, > 0)");
    }
  }

  /** Microseconds per one-way transfer, as fi_pingpong's {@code usec/xfer}. */
  public double microsPerTransfer() {
    return elapsed.toNanos() / 1_000.0 / (2.0 * iterations);
  }

  /** Decimal megabytes per second, both directions, as fi_pingpong's {@code MB/sec}. */
  public double megabytesPerSecond() {
    return 2.0 * iterations * messageBytes / (elapsed.toNanos() / 1e9) / 1e6;
  }
}
