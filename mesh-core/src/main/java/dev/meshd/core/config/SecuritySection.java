package dev.meshd.core.config;

import dev.meshd.core.security.ClusterKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads {@code security:} into a {@link SecurityConfig}; every path is made absolute. */
final class SecuritySection {

  static final List<String> KEYS = List.of("tls", "tokens-file", "cluster-key-file");

  static final List<String> TLS_KEYS = List.of("cert", "key", "ca");

  private SecuritySection() {}

  static SecurityConfig read(MappingReader security, Path configDir) {
    Optional<TlsConfig> tls = security.get("tls").mappingIfValid(TLS_KEYS)
        .flatMap(t -> readTls(t, configDir));
    ConfigValue clusterKey = security.get("cluster-key-file");
    Optional<Path> clusterKeyFile = clusterKey.file(configDir);
    clusterKeyFile.ifPresent(file -> checkClusterKey(clusterKey, file));
    return new SecurityConfig(tls, security.get("tokens-file").file(configDir), clusterKeyFile);
  }

  /**
   * Reads the key file now, so that a missing or malformed key is reported at the config line
   * that names it, together with the file's other problems, rather than when gossip starts.
   */
  private static void checkClusterKey(ConfigValue value, Path file) {
    try {
      ClusterKey.load(file);
    } catch (IllegalArgumentException e) {
      value.error(e.getMessage());
    }
  }

  private static Optional<TlsConfig> readTls(MappingReader tls, Path configDir) {
    Optional<Path> cert = tls.required("cert", "a PEM certificate file").file(configDir);
    Optional<Path> key = tls.required("key", "a PEM private key file").file(configDir);
    // No CA: clients are not asked for certificates (server-side TLS only).
    Optional<Path> ca = tls.get("ca").file(configDir);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(cert.get(), key.get(), ca.orElse(null)));
  }
}
