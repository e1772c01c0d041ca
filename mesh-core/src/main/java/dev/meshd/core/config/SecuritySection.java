package dev.meshd.core.config;

import dev.meshd.core.security.CertificateHosts;
import dev.meshd.core.security.ClusterKey;
import dev.meshd.core.security.PemFiles;
import dev.meshd.core.security.TlsFiles;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads {@code security:} into a {@link SecurityConfig}; every path is made absolute. */
final class SecuritySection {

  static final List<String> KEYS = List.of("tls", "tokens-file", "cluster-key-file");

  static final List<String> TLS_KEYS = List.of("cert", "key", "ca");

  private SecuritySection() {}

  /**
   * @param dialled where other members dial this agent: a TLS certificate must name each host
   * @param now when the TLS certificate must be valid
   */
  static SecurityConfig read(MappingReader security, Path configDir,
      List<DialledHost> dialled, Instant now) {
    Optional<TlsConfig> tls = security.get("tls").mappingIfValid(TLS_KEYS)
        .flatMap(t -> readTls(t, configDir, dialled, now));
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

  private static Optional<TlsConfig> readTls(MappingReader tls, Path configDir,
      List<DialledHost> dialled, Instant now) {
    ConfigValue certValue = tls.required("cert", "a PEM certificate file");
    ConfigValue keyValue = tls.required("key", "a PEM private key file");
    ConfigValue caValue = tls.get("ca");
    Optional<Path> cert = certValue.file(configDir);
    Optional<Path> key = keyValue.file(configDir);
    // No CA: clients are not asked for certificates (server-side TLS only).
    Optional<Path> ca = caValue.file(configDir);
    checkTlsFiles(certValue, cert, keyValue, key).ifPresent(leaf -> {
      checkValidity(certValue, cert.get(), leaf, now);
      checkNames(certValue, cert.get(), leaf, dialled);
    });
    ca.ifPresent(file -> check(caValue, () -> TlsFiles.trustManagers(file)));
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(cert.get(), key.get(), ca.orElse(null)));
  }

  /**
   * Reads the PEM files now, as the cluster key is read: a missing file, a malformed one or a
   * key that does not belong to the certificate is reported at the line that names it, by
   * {@code validate} too, instead of failing the first TLS handshake.
   */
  private static Optional<X509Certificate> checkTlsFiles(ConfigValue certValue,
      Optional<Path> cert, ConfigValue keyValue, Optional<Path> key) {
    Optional<X509Certificate> leaf = cert.flatMap(
        file -> check(certValue, () -> PemFiles.certificates(file).getFirst()));
    Optional<PrivateKey> privateKey =
        key.flatMap(file -> check(keyValue, () -> PemFiles.privateKey(file)));
    if (leaf.isPresent() && privateKey.isPresent()) {
      check(keyValue, () -> {
        PemFiles.requireMatch(privateKey.get(), key.get(), leaf.get(), cert.get());
        return true;
      });
    }
    return leaf;
  }

  /** Outside its validity period a certificate fails every handshake, on every peer. */
  private static void checkValidity(ConfigValue certValue, Path cert, X509Certificate leaf,
      Instant now) {
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      certValue.error(cert + " expired at " + notAfter + " (expected: a certificate valid now, "
          + now.truncatedTo(ChronoUnit.SECONDS) + "; renew it: every peer refuses it)");
    } else if (now.isBefore(notBefore)) {
      certValue.error(cert + " is not valid before " + notBefore + " (expected: a certificate "
          + "valid now, " + now.truncatedTo(ChronoUnit.SECONDS) + "; is this host's clock "
          + "right?)");
    }
  }

  /**
   * Every host this agent is dialled at must be among the certificate's names, or each peer's
   * handshake fails there ("No subject alternative names matching ..."), seen only in the
   * dialling peer's log; said here, by {@code validate} too, at the line of {@code tls.cert}.
   */
  private static void checkNames(ConfigValue certValue, Path cert, X509Certificate leaf,
      List<DialledHost> dialled) {
    for (DialledHost host : dialled) {
      if (!CertificateHosts.names(leaf, host.host())) {
        List<String> names = CertificateHosts.describe(leaf);
        certValue.error(cert + " names " + (names.isEmpty() ? "no host" : names)
            + " but not " + host.host() + ", " + host.where() + " and check the certificate"
            + " (expected: a subjectAltName " + (CertificateHosts.isIpLiteral(host.host())
            ? "IP:" : "DNS:") + host.host() + ")");
      }
    }
  }

  private static <T> Optional<T> check(ConfigValue value, Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (IllegalArgumentException e) {
      value.error(e.getMessage());
      return Optional.empty();
    }
  }
}
