package dev.meshd.agent.runtime.internal;

/** A {@code /metrics} body that is not the Prometheus text format; the message names the line. */
public final class MetricsFormatException extends Exception {
  public MetricsFormatException(int line, String message) {
    super("line " + line + ": " + message);
  }
}
