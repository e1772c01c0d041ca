package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code security.tls:} certificate, key and CA files (resolved against the config's dir), PEM.
 *
 * @param cert this agent's certificate chain, leaf first: served on the gRPC port and, with a
 *     CA, presented as the client certificate when dialling peers
 * @param key the private key of {@code cert}, unencrypted PKCS#8
 * @param ca null: the gRPC server asks no client certificate and peers are verified against the
 *     JDK's default trust store; set: clients must present a certificate issued by it (mTLS), and
 *     peers' certificates are verified against it alone
 */
public record TlsConfig(Path cert, Path key, Path ca) {
  public TlsConfig {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /** The CA file, absent when none is configured. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(ca);
  }
}
