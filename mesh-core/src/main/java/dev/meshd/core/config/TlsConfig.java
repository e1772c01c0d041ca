package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.Objects;

/** {@code security.tls:} certificate, key and CA files (resolved against the config's dir). */
public record TlsConfig(Path cert, Path key, Path ca) {
  public TlsConfig {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }
}
