package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.tls.AgentCertificate;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side: accepts a client whose certificate's SHA-256 the caller's predicate accepts (the
 * agent passes "is the fingerprint of a fleet member"). Thread-safe if the predicate is.
 */
public final class FleetClientTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(FleetClientTrustManager.class);

  private final Predicate<String> acceptSha256;

  public FleetClientTrustManager(Predicate<String> acceptSha256) {
    this.acceptSha256 = Objects.requireNonNull(acceptSha256, "acceptSha256");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, engine == null || engine.getPeerHost() == null
        ? "" : " " + engine.getPeerHost() + ":" + engine.getPeerPort());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, " " + socket.getRemoteSocketAddress());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "");
  }

  private void check(X509Certificate[] chain, String peer) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the client presented no certificate");
    }
    String sha256 = AgentCertificate.sha256Of(chain[0]);
    boolean accepted;
    try {
      accepted = acceptSha256.test(sha256);
    } catch (RuntimeException e) {
      log.warn("QUIC stage client{}: the fingerprint check failed: {}", peer, e.toString());
      throw new CertificateException("fingerprint check failed: " + e, e);
    }
    if (!accepted) {
      log.info("QUIC stage client{} rejected: certificate sha256 {} is not a fleet member",
          peer, sha256);
      throw new CertificateException("client certificate sha256 " + sha256
          + " is not a fleet member");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a stage server does not verify servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a stage server does not verify servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a stage server does not verify servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
