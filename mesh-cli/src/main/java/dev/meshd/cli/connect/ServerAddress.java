package dev.meshd.cli.connect;

import java.util.Objects;

/**
 * An agent's gRPC endpoint, {@code HOST:PORT}; IPv6 literals are written in brackets
 * ({@code [::1]:7070}). Immutable; {@link #toString()} gives back the {@code HOST:PORT} form that
 * error messages show.
 *
 * @param host a host name or IP literal, without brackets
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

  public ServerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: empty (expected: a host name or IP address)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
  }

  /**
   * Parses {@code HOST:PORT}.
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  public static ServerAddress parse(String value) {
    Objects.requireNonNull(value, "value");
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw invalid(value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      // An unbracketed IPv6 literal is ambiguous: which colon starts the port?
      throw invalid(value);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid(value);
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw invalid(value);
    }
    return new ServerAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static IllegalArgumentException invalid(String value) {
    return new IllegalArgumentException(
        "\"" + value + "\" (expected: HOST:PORT with a port of 1-65535, e.g. 127.0.0.1:7070)");
  }
}
