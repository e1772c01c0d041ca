package dev.meshd.agent.runtime;

/** A runtime's {@code /metrics} cannot be trusted; the message is one line for an operator. */
public final class RuntimeMetricsException extends Exception {
  public RuntimeMetricsException(String message) {
    super(message);
  }
}
