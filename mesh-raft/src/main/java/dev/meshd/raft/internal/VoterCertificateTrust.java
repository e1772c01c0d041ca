package dev.meshd.raft.internal;

import dev.meshd.core.security.CertificateHosts;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft port's trust: a client certificate must chain to the fleet CA (the delegate's check)
 * <em>and</em> name, in its subject alternative names, the host of one of the group's voters as
 * the group's configuration lists them. The fleet CA also issues every agent's and operator's
 * certificate, and Raft has no bearer tokens: without this check any of them could append to the
 * log or ask for a vote. The voters are read at each handshake, so a voter added with {@code raft
 * add-peer} is trusted once the configuration names it, and a removed one no longer is.
 *
 * <p>A voter's certificate already has to name its Raft host, since the other voters check it
 * when they dial it; so this asks nothing new of a correct fleet. What it cannot tell apart is
 * two certificates naming the same host: an agent sharing a host with a voter is trusted.
 *
 * <p>Server certificates (this voter dialling others) are checked by the delegate alone,
 * including the name of the host dialled. Thread-safe when {@code voterHosts} is.
 */
public final class VoterCertificateTrust extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(VoterCertificateTrust.class);

  private final X509ExtendedTrustManager delegate;
  private final Supplier<Set<String>> voterHosts;

  /**
   * @param delegate the CA's trust manager: chains, validity, key usage, server names
   * @param voterHosts the hosts of the group's voters now, as their Raft addresses give them
   */
  public VoterCertificateTrust(X509ExtendedTrustManager delegate,
      Supplier<Set<String>> voterHosts) {
    this.delegate = delegate;
    this.voterHosts = voterHosts;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
    requireVoter(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
    requireVoter(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    requireVoter(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void requireVoter(X509Certificate[] chain) throws CertificateException {
    X509Certificate presented = chain[0];
    Set<String> hosts = voterHosts.get();
    for (String host : hosts) {
      if (CertificateHosts.names(presented, host)) {
        return;
      }
    }
    List<String> names = CertificateHosts.describe(presented);
    String refusal = "the client certificate " + presented.getSubjectX500Principal().getName()
        + " " + (names.isEmpty() ? "(no subject alternative names)" : names)
        + " names none of the Raft group's voters "
        + "(hosts " + hosts.stream().sorted().toList() + "); only voters may connect to the "
        + "Raft port";
    // The dialling side sees only a closed handshake: say it here, where an operator looks.
    LOG.warn("raft: refused a connection: {}", refusal);
    throw new CertificateException(refusal);
  }
}
