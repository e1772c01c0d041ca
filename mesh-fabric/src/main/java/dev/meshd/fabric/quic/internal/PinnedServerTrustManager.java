package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.tls.AgentCertificate;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client side: trusts exactly one server certificate, the one whose SHA-256 the peer published
 * in its capability record. No CA, no host name, no dates: the record is the trust anchor.
 * One instance per connection attempt, so that a rejection can be reported with the
 * fingerprint actually presented. Thread-safe.
 */
public final class PinnedServerTrustManager extends X509ExtendedTrustManager {
  private final String expectedSha256;
  private volatile String rejectedSha256;

  public PinnedServerTrustManager(String expectedSha256) {
    this.expectedSha256 = Objects.requireNonNull(expectedSha256, "expectedSha256");
  }

  /** The fingerprint of a certificate this manager refused, or null if none was refused. */
  public String rejectedSha256() {
    return rejectedSha256;
  }

  public String expectedSha256() {
    return expectedSha256;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    String actual = AgentCertificate.sha256Of(chain[0]);
    if (!actual.equals(expectedSha256)) {
      rejectedSha256 = actual;
      throw new CertificateException("server certificate sha256 " + actual
          + " is not the pinned " + expectedSha256);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a stage client does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a stage client does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a stage client does not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
