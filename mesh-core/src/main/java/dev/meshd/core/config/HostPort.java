package dev.meshd.core.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} endpoint from the config.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port 1-65535
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: empty (expected: a host name or IP address)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty (expected: host:port)");
    }
    String s = text.strip();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("\"" + text + "\" (expected: [ipv6]:port)");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("\"" + text + "\" (expected: host:port)");
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\": port \"" + portText + "\" is not a number (expected: 1-65535)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "\"" + text + "\": port " + port + " (expected: 1-65535)");
    }
    return new HostPort(host, port);
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
