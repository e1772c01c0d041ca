package dev.meshd.cli.connect;

import dev.meshd.core.security.TlsFiles;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code mesh-cli} dials a TLS agent: whom to trust ({@code --tls-ca}, else the JDK's default
 * trust store) and, for an agent that requires client certificates (mTLS), which certificate to
 * present ({@code --tls-cert} and {@code --tls-key}). Immutable.
 *
 * @param ca the CA certificate(s) that issued the agent's certificate; absent: the system trust
 *     store
 * @param cert the client certificate chain, PEM; present exactly when {@code key} is
 * @param key the client certificate's private key, unencrypted PKCS#8 PEM
 */
public record TlsSettings(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {

  public TlsSettings {
    ca = ca == null ? Optional.empty() : ca;
    cert = cert == null ? Optional.empty() : cert;
    key = key == null ? Optional.empty() : key;
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(cert.isPresent()
          ? "--tls-cert needs --tls-key (expected: both, for a client certificate, or neither)"
          : "--tls-key needs --tls-cert (expected: both, for a client certificate, or neither)");
    }
  }

  /**
   * Reads the files and returns the channel credentials.
   *
   * @throws IllegalArgumentException naming the option and the file that cannot be used
   */
  public ChannelCredentials credentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    ca.ifPresent(file -> builder.trustManager(TlsFiles.trustManagers(file, "--tls-ca")));
    if (cert.isPresent()) {
      builder.keyManager(TlsFiles.keyManagers(cert.get(), "--tls-cert", key.get(), "--tls-key"));
    }
    return builder.build();
  }
}
