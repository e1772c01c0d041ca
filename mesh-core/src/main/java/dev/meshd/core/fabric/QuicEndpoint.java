package dev.meshd.core.fabric;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a node's QUIC stage transport listens (UDP), and the SHA-256 fingerprint of its
 * self-signed certificate that peers pin when they connect.
 *
 * @param host address peers dial
 * @param port UDP port, 1-65535
 * @param certificateSha256 lower-case hex SHA-256 of the DER certificate (64 characters)
 */
public record QuicEndpoint(String host, int port, String certificateSha256) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public QuicEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(certificateSha256, "certificateSha256");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: blank (expected: a host name or IP address)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (!SHA256_HEX.matcher(certificateSha256).matches()) {
      throw new IllegalArgumentException("certificateSha256: " + certificateSha256
          + " (expected: 64 lower-case hex digits)");
    }
  }
}
