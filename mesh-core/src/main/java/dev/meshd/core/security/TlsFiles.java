package dev.meshd.core.security;

import dev.meshd.core.config.TlsConfig;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JSSE key and trust managers that gRPC's TLS credentials take, built from PEM files (see
 * {@link PemFiles} for the accepted forms). Everything is read and checked here, once, so that a
 * bad file is reported by name before any connection is attempted. Stateless.
 */
public final class TlsFiles {

  /** Only protects the in-memory key store; never written anywhere. */
  private static final char[] IN_MEMORY_PASSWORD = "meshd".toCharArray();

  private TlsFiles() {}

  /**
   * Key managers that present the chain of {@code certFile} with the key of {@code keyFile}.
   *
   * @throws IllegalArgumentException naming the file that is unreadable or invalid, or both when
   *     the key does not belong to the certificate
   */
  public static KeyManager[] keyManagers(Path certFile, Path keyFile) {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    PemFiles.requireMatch(key, keyFile, chain.getFirst(), certFile);
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(keyFile + ": cannot be used with " + certFile + " ("
          + e.getMessage() + ")");
    }
  }

  /**
   * Trust managers that accept exactly the certificates issued by the CA certificates of
   * {@code caFile} (the JDK's default trust store is not consulted).
   *
   * @throws IllegalArgumentException when the file is unreadable or holds no certificate
   */
  public static TrustManager[] trustManagers(Path caFile) {
    List<X509Certificate> authorities = PemFiles.certificates(caFile);
    try {
      KeyStore store = emptyStore();
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(caFile + ": cannot be used as a CA (" + e.getMessage()
          + ")");
    }
  }

  /**
   * {@link #keyManagers(Path, Path)} of {@code security.tls}'s certificate and key, failing with
   * a message that starts with the config key of the file at fault ({@code security.tls.key}, or
   * else {@code security.tls.cert}).
   */
  public static KeyManager[] keyManagers(TlsConfig config) {
    try {
      return keyManagers(config.cert(), config.key());
    } catch (IllegalArgumentException e) {
      // The message starts with the file at fault: the key, or else the certificate.
      String configKey = e.getMessage().startsWith(config.key() + ":")
          ? "security.tls.key" : "security.tls.cert";
      throw new IllegalArgumentException(configKey + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@link #trustManagers(Path)} of {@code security.tls.ca}, failing with a message that starts
   * with that config key.
   */
  public static TrustManager[] caTrustManagers(Path caFile) {
    try {
      return trustManagers(caFile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("security.tls.ca: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }
}
