package dev.meshd.raft.internal;

import dev.meshd.core.config.TlsConfig;
import dev.meshd.core.security.TlsFiles;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * The Ratis parameters that {@code security.tls} asks for. One {@link GrpcTlsConfig} under
 * {@link GrpcConfigKeys.TLS} covers every gRPC channel Ratis opens: the voter's server port
 * ({@code listen.raft}), its connections to the other voters, and the clients (store, status,
 * membership). Ratis falls back to it for the server, client and admin roles when they have no
 * configuration of their own, and we give them none.
 *
 * <p>What Ratis's gRPC then checks (Netty's JDK TLS under grpc-java's negotiator):
 * <ul>
 *   <li>the dialling side verifies the served certificate's chain against {@code tls.ca} (else
 *       the JDK's default trust store) and its subject alternative names against the host of the
 *       peer's Raft address, as written in {@code raft.peers} (an IP needs an IP SAN);
 *   <li>with {@code tls.ca}, the served side requires a client certificate, verifies its
 *       chain against {@code tls.ca} and, for a voter's server ({@link #voterParameters}), that
 *       it names the host of one of the group's voters ({@link VoterCertificateTrust}): an
 *       operator's or another agent's certificate from the same CA is refused.
 * </ul>
 *
 * <p>The files are read once, when the parameters are built; a bad one fails with an {@link
 * IllegalArgumentException} naming the config key and the file. Stateless.
 */
public final class RatisTls {

  private RatisTls() {}

  /**
   * Parameters for a Ratis client that serves nothing: TLS as {@code tls} says, none when
   * empty. Its certificate checks are those of a dialling side only.
   */
  public static Parameters parameters(Optional<TlsConfig> tls) {
    return build(tls, Optional.empty());
  }

  /**
   * Parameters for a voter's server and the clients it opens: TLS as {@code tls} says, none
   * when empty; with {@code tls.ca}, a client certificate on the Raft port must also name one of
   * {@code voterHosts}, asked at every handshake.
   */
  public static Parameters voterParameters(Optional<TlsConfig> tls,
      Supplier<Set<String>> voterHosts) {
    return build(tls, Optional.of(voterHosts));
  }

  private static Parameters build(Optional<TlsConfig> tls,
      Optional<Supplier<Set<String>>> voterHosts) {
    Parameters parameters = new Parameters();
    tls.ifPresent(config -> GrpcConfigKeys.TLS.setConf(parameters,
        grpcTlsConfig(config, voterHosts)));
    return parameters;
  }

  /** Describes how the Raft port is served, for the start log. */
  public static String describe(Optional<TlsConfig> tls) {
    return tls.map(t -> t.caFile().isPresent()
            ? "TLS, voters' certificates from " + t.ca() + " required (mTLS)"
            : "TLS (no client certificates)")
        .orElse("plaintext");
  }

  private static GrpcTlsConfig grpcTlsConfig(TlsConfig config,
      Optional<Supplier<Set<String>>> voterHosts) {
    KeyManager keyManager = TlsFiles.keyManagers(config)[0];
    // Ratis sets a trust manager on every client context and fails on a missing one, so the
    // JDK's default trust store is named explicitly when there is no CA.
    TrustManager trustManager = config.caFile()
        .map(ca -> caTrust(TlsFiles.caTrustManagers(ca)[0], voterHosts))
        .orElseGet(RatisTls::defaultTrustManager);
    // mTLS: the server requires client certificates, and clients present theirs.
    return new GrpcTlsConfig(keyManager, trustManager, config.caFile().isPresent());
  }

  /** The CA's trust, restricted to the voters' hosts for a voter's server. */
  private static TrustManager caTrust(TrustManager ca, Optional<Supplier<Set<String>>> voters) {
    return voters.<TrustManager>map(hosts -> new VoterCertificateTrust(extended(ca), hosts))
        .orElse(ca);
  }

  private static X509ExtendedTrustManager extended(TrustManager trustManager) {
    if (trustManager instanceof X509ExtendedTrustManager extended) {
      return extended;
    }
    throw new IllegalStateException("the JDK's PKIX trust manager is not an "
        + "X509ExtendedTrustManager: " + trustManager.getClass().getName());
  }

  private static TrustManager defaultTrustManager() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return factory.getTrustManagers()[0];
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's default trust store cannot be loaded", e);
    }
  }
}
