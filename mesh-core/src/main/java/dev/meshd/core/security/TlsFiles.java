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
    return keyManagers(certFile, "", keyFile, "");
  }

  /**
   * {@link #keyManagers(Path, Path)}, with a failure's message prefixed by the name under which
   * the user gave the file at fault: {@code certName} for the certificate, {@code keyName} for
   * the key (also when the key does not belong to the certificate), e.g. {@code
   * security.tls.key: node1.key: ...}.
   */
  public static KeyManager[] keyManagers(Path certFile, String certName, Path keyFile,
      String keyName) {
    List<X509Certificate> chain;
    try {
      chain = PemFiles.certificates(certFile);
    } catch (IllegalArgumentException e) {
      throw named(certName, e);
    }
    try {
      PrivateKey key = PemFiles.privateKey(keyFile);
      PemFiles.requireMatch(key, keyFile, chain.getFirst(), certFile);
      return keyManagers(chain, key, certFile, keyFile);
    } catch (IllegalArgumentException e) {
      throw named(keyName, e);
    }
  }

  private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key,
      Path certFile, Path keyFile) {
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
    return keyManagers(config.cert(), "security.tls.cert", config.key(), "security.tls.key");
  }

  /**
   * {@link #trustManagers(Path)} of {@code security.tls.ca}, failing with a message that starts
   * with that config key.
   */
  public static TrustManager[] caTrustManagers(Path caFile) {
    return trustManagers(caFile, "security.tls.ca");
  }

  /**
   * {@link #trustManagers(Path)}, with a failure's message prefixed by {@code caName}, the name
   * under which the user gave the file.
   */
  public static TrustManager[] trustManagers(Path caFile, String caName) {
    try {
      return trustManagers(caFile);
    } catch (IllegalArgumentException e) {
      throw named(caName, e);
    }
  }

  /** {@code failure} with {@code name: } before its message; itself when there is no name. */
  private static IllegalArgumentException named(String name, IllegalArgumentException failure) {
    return name.isEmpty() ? failure
        : new IllegalArgumentException(name + ": " + failure.getMessage(), failure);
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
