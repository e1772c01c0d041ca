package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code security:} all paths resolved against the config file's directory.
 *
 * @param tls TLS of the gRPC API and of the agent-to-agent gRPC calls; empty: plaintext
 * @param tokensFile bearer tokens for the gRPC API (policy-store issue); empty: no auth
 * @param clusterKeyFile the shared cluster key that authenticates gossip; empty: gossip is not
 *     authenticated (the agent logs a warning at start)
 */
public record SecurityConfig(
    Optional<TlsConfig> tls, Optional<Path> tokensFile, Optional<Path> clusterKeyFile) {
  public SecurityConfig {
    tls = tls == null ? Optional.empty() : tls;
    tokensFile = tokensFile == null ? Optional.empty() : tokensFile;
    clusterKeyFile = clusterKeyFile == null ? Optional.empty() : clusterKeyFile;
  }
}
