package dev.meshd.agent.auth;

import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.security.TlsFiles;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.util.Optional;

/**
 * The gRPC credentials {@code security.tls} asks for, on both sides of the agent's gRPC: the
 * server it serves operators and peers on, and the channels it opens to peers. Without
 * {@code security.tls} both are plaintext; a fleet is all-TLS or all-plaintext, since an agent
 * dials its peers the way it serves. Stateless.
 *
 * <p>Files are read when the credentials are built; a bad one fails with an {@link
 * IllegalArgumentException} whose message names the config key and the file.
 */
public final class GrpcTls {

  private GrpcTls() {}

  /**
   * The server's credentials: TLS with this agent's certificate; with {@code tls.ca}, also a
   * client certificate issued by that CA is required (mTLS).
   */
  public static ServerCredentials server(Optional<TlsConfig> tls) {
    if (tls.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    TlsConfig config = tls.get();
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
        .keyManager(TlsFiles.keyManagers(config));
    config.caFile().ifPresent(ca -> builder
        .trustManager(TlsFiles.caTrustManagers(ca))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE));
    return builder.build();
  }

  /**
   * The credentials of channels to peer agents: TLS verifying the peer against {@code tls.ca}
   * (else the JDK's default trust store) and its address (the SANs); with {@code tls.ca}, this
   * agent's certificate is presented as the client certificate, as mTLS peers require.
   */
  public static ChannelCredentials client(Optional<TlsConfig> tls) {
    if (tls.isEmpty()) {
      return InsecureChannelCredentials.create();
    }
    TlsConfig config = tls.get();
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    config.caFile().ifPresent(ca -> builder
        .trustManager(TlsFiles.caTrustManagers(ca))
        .keyManager(TlsFiles.keyManagers(config)));
    return builder.build();
  }

  /** Describes how the gRPC port is served, for the start log. */
  public static String describe(Optional<TlsConfig> tls) {
    return tls.map(t -> t.caFile().isPresent()
            ? "TLS, client certificates from " + t.ca() + " required (mTLS)"
            : "TLS (no client certificates)")
        .orElse("plaintext");
  }
}
