package dev.meshd.agent;

import java.net.BindException;

/** A component could not start; the message is one line fit for an operator. */
public final class AgentStartException extends RuntimeException {

  public AgentStartException(String component, String address, Throwable cause) {
    super(describe(component, address, cause), cause);
  }

  private static String describe(String component, String address, Throwable cause) {
    String why =
        cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
            ? "address already in use"
            : String.valueOf(cause.getMessage());
    return "cannot start " + component + " on " + address + ": " + why;
  }
}
