package dev.meshd.fakeruntime.internal;

/** A request the fake refuses with HTTP 400; the message names the problem. */
public final class BadRequestException extends Exception {
  private final String param;

  BadRequestException(String message, String param) {
    super(message);
    this.param = param;
  }

  /** The offending field, or null when the body as a whole is wrong. */
  public String param() {
    return param;
  }
}
