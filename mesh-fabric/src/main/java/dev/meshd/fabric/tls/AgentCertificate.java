package dev.meshd.fabric.tls;

import dev.meshd.core.security.PemFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's self-signed certificate (EC P-256, CN = node id) and its private key: the identity
 * the QUIC stage transport presents to peers, who pin it by {@link #sha256()}.
 *
 * <p>{@link #loadOrCreate} keeps the pair as PEM in a directory the caller owns
 * ({@value #CERTIFICATE_FILE} and {@value #KEY_FILE}, the key with mode 0600), so that the
 * fingerprint survives restarts: peers and the policy store keep recognising the node. The
 * certificate never expires (notAfter 9999-12-31, RFC 5280's "no well-defined expiration"):
 * trust comes from the fingerprint in the signed capability record, not from dates or a CA. The
 * common name is informational; a renamed node keeps its certificate.
 *
 * <p>Immutable and thread-safe. BouncyCastle only builds and parses; keys and signatures come
 * from the JDK's providers, so no security provider is registered globally.
 */
public final class AgentCertificate {
  /** The certificate, PEM. */
  public static final String CERTIFICATE_FILE = "agent-cert.pem";
  /** The PKCS#8 private key, PEM, mode 0600. */
  public static final String KEY_FILE = "agent-key.pem";

  private static final Logger log = LoggerFactory.getLogger(AgentCertificate.class);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  /** RFC 5280 4.1.2.5: 99991231235959Z means the certificate has no well-defined expiration. */
  private static final Instant NOT_AFTER =
      ZonedDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC).toInstant();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final String sha256;
  private final String commonName;

  private AgentCertificate(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.sha256 = sha256Of(certificate);
    RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
        .getRDNs(BCStyle.CN);
    this.commonName = names.length == 0 ? "" : names[0].getFirst().getValue().toString();
  }

  /**
   * Loads the pair from {@code directory}, or generates and stores a new one when either file is
   * missing (a key without its certificate, or the reverse, is useless). The directory is created
   * (mode 0700) if needed.
   *
   * @throws IOException when a file exists but cannot be read or parsed, or the key does not
   *     belong to the certificate; the message names the file and how to recover
   */
  public static AgentCertificate loadOrCreate(Path directory, String nodeId) throws IOException {
    Objects.requireNonNull(directory, "directory");
    requireNodeId(nodeId);
    Path certFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    boolean haveCert = Files.exists(certFile);
    boolean haveKey = Files.exists(keyFile);
    if (haveCert && haveKey) {
      return load(certFile, keyFile, nodeId);
    }
    if (haveCert || haveKey) {
      log.warn("{} without {}: generating a new certificate (peers will see a new fingerprint)",
          haveCert ? certFile : keyFile, haveCert ? keyFile : certFile);
    }
    AgentCertificate created = generate(nodeId);
    created.store(directory);
    log.info("generated fabric certificate for {} in {} (sha256 {})", nodeId, directory,
        created.sha256);
    return created;
  }

  /** A new in-memory pair, not stored anywhere (tests, benchmarks). */
  public static AgentCertificate generate(String nodeId) {
    requireNodeId(nodeId);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.CN, nodeId).addRDN(BCStyle.O, "meshd").build();
      // A positive 127-bit serial: unique enough that two of our certificates never share one.
      BigInteger serial = new BigInteger(127, new SecureRandom());
      // A day back, so a peer whose clock is behind does not see a certificate from the future.
      Date notBefore = Date.from(Instant.now().minusSeconds(86_400));
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          subject, serial, notBefore, Date.from(NOT_AFTER), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      ContentSigner signer =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(pair.getPrivate());
      X509CertificateHolder holder = builder.build(signer);
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
      return new AgentCertificate(certificate, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      // EC P-256 and SHA256withECDSA are mandatory in every JDK: this is a broken runtime.
      throw new IllegalStateException("cannot generate an EC P-256 certificate: " + e, e);
    }
  }

  /** Lower-case hex SHA-256 of {@code certificate}'s DER encoding: what peers pin. */
  public static String sha256Of(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().formatHex(digest);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be DER-encoded: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Lower-case hex SHA-256 of the DER certificate, as {@code QuicEndpoint.certificateSha256}. */
  public String sha256() {
    return sha256;
  }

  /** The certificate's common name: the node id it was generated for. */
  public String commonName() {
    return commonName;
  }

  @Override
  public String toString() {
    return "AgentCertificate[CN=" + commonName() + ", sha256=" + sha256 + "]";
  }

  private static AgentCertificate load(Path certFile, Path keyFile, String nodeId)
      throws IOException {
    X509Certificate certificate = readCertificate(certFile, keyFile);
    PrivateKey key = readKey(keyFile, certFile);
    if (!PemFiles.matches(key, certificate)) {
      throw new IOException(keyFile + " does not hold the key of " + certFile
          + ": delete both files to generate a new certificate (peers will see a new fingerprint)");
    }
    tightenKeyPermissions(keyFile);
    AgentCertificate loaded = new AgentCertificate(certificate, key);
    if (!loaded.commonName().equals(nodeId)) {
      log.warn("{} was generated for node {}, this node is {}: keeping it (the fingerprint, not"
          + " the name, identifies the node)", certFile, loaded.commonName(), nodeId);
    }
    return loaded;
  }

  private static X509Certificate readCertificate(Path certFile, Path keyFile) throws IOException {
    Object parsed = readPem(certFile, keyFile);
    if (!(parsed instanceof X509CertificateHolder holder)) {
      throw unreadable(certFile, keyFile, "expected a PEM CERTIFICATE, found "
          + (parsed == null ? "no PEM object" : parsed.getClass().getSimpleName()), null);
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (GeneralSecurityException e) {
      throw unreadable(certFile, keyFile, e.toString(), e);
    }
  }

  private static PrivateKey readKey(Path keyFile, Path certFile) throws IOException {
    Object parsed = readPem(keyFile, certFile);
    if (!(parsed instanceof PrivateKeyInfo info)) {
      throw unreadable(keyFile, certFile, "expected a PEM PRIVATE KEY (PKCS#8), found "
          + (parsed == null ? "no PEM object" : parsed.getClass().getSimpleName()), null);
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw unreadable(keyFile, certFile, e.toString(), e);
    }
  }

  private static Object readPem(Path file, Path other) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw unreadable(file, other, e.toString(), e);
    }
    try (Reader reader = new StringReader(text); PEMParser parser = new PEMParser(reader)) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw unreadable(file, other, e.toString(), e);
    }
  }

  private static IOException unreadable(Path file, Path other, String detail, Throwable cause) {
    return new IOException("cannot read the fabric certificate from " + file + " (" + detail
        + "): delete it to generate a new certificate (" + other + " is replaced too, and peers"
        + " will see a new fingerprint)", cause);
  }

  private void store(Path directory) throws IOException {
    createPrivateDirectory(directory);
    // Key first: a crash between the two moves leaves a key without a certificate, which the
    // next start replaces as a whole.
    writeAtomically(directory.resolve(KEY_FILE), pem(new JcaPKCS8Generator(privateKey, null)));
    writeAtomically(directory.resolve(CERTIFICATE_FILE), pem(certificate));
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /**
   * Writes through a temporary file created with mode 0600, so the key is never readable by
   * others, not even for an instant, and a crash never leaves half a file.
   */
  private static void writeAtomically(Path target, String content) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp",
        ownerOnlyAttribute());
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void createPrivateDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: no permission bits to give; the directory is created plain.
      Files.createDirectories(directory);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(directory + " exists and is not a directory", e);
    }
  }

  private static FileAttribute<?>[] ownerOnlyAttribute() {
    boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
        .contains("posix");
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static void tightenKeyPermissions(Path keyFile) throws IOException {
    try {
      Set<PosixFilePermission> current = Files.getPosixFilePermissions(keyFile);
      if (!OWNER_ONLY.containsAll(current)) {
        log.warn("{} was readable by others ({}): setting it to rw-------", keyFile,
            PosixFilePermissions.toString(current));
        Files.setPosixFilePermissions(keyFile, OWNER_ONLY);
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to tighten.
    }
  }

  private static void requireNodeId(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId: blank (expected: the node id)");
    }
  }
}
