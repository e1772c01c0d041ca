package dev.meshd.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS tests (EC P-256, valid for a day), generated in
 * memory at test time so that no key file is ever committed. {@link #issue} writes a leaf
 * certificate and its PKCS#8 key as PEM, with the SANs agents on loopback need: IP 127.0.0.1 and
 * DNS localhost. Immutable and thread-safe.
 */
public final class TestCertificateAuthority {

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificateAuthority(X500Name name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA whose subject is {@code CN=<commonName>}. */
  public static TestCertificateAuthority create(String commonName) {
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=" + commonName);
    X509v3CertificateBuilder builder = builder(name, name, keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestCertificateAuthority(name, keys, sign(builder, keys));
  }

  /** This CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes this CA's certificate as PEM to {@code file} and returns it. */
  public Path writeCertificate(Path file) {
    return write(file, pem(certificate));
  }

  /**
   * A certificate for {@code commonName} issued by this CA, usable by servers and clients, with
   * SANs IP 127.0.0.1 and DNS localhost; written to {@code <dir>/<commonName>.crt} and
   * {@code <dir>/<commonName>.key}.
   */
  public Issued issue(Path dir, String commonName) {
    return issue(dir, commonName, List.of("127.0.0.1", "localhost"));
  }

  /**
   * As {@link #issue(Path, String)}, with exactly the SANs {@code names}: an IPv4 literal or
   * an IPv6 one (anything with a colon) becomes an IP SAN, anything else a DNS SAN. For tests
   * of hostname verification.
   */
  public Issued issue(Path dir, String commonName, List<String> names) {
    KeyPair leafKeys = newKeyPair();
    X509v3CertificateBuilder builder =
        builder(name, new X500Name("CN=" + commonName), leafKeys);
    GeneralName[] sans = names.stream()
        .map(n -> new GeneralName(IPV4.matcher(n).matches() || n.contains(":")
            ? GeneralName.iPAddress : GeneralName.dNSName, n))
        .toArray(GeneralName[]::new);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    X509Certificate leaf = sign(builder, keys);
    Path cert = write(dir.resolve(commonName + ".crt"), pem(leaf));
    Path key;
    try {
      key = write(dir.resolve(commonName + ".key"),
          pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(cert, key);
  }

  /** A certificate file and its private key file, both PEM. */
  public record Issued(Path cert, Path key) {}

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        subject, subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is missing from this JDK", e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
