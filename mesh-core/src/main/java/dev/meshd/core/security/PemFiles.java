package dev.meshd.core.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads X.509 certificates and private keys from PEM files with the JDK alone (the CLI and the
 * config loader have no BouncyCastle). Keys must be unencrypted PKCS#8 ({@code BEGIN PRIVATE
 * KEY}), what {@code openssl genpkey} and OpenSSL 3's {@code req -newkey} write; the other PEM
 * key forms are refused with the {@code openssl} command that converts them. Stateless.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message starts with the file and
 * says what was expected, so that callers only prefix the config key or option that named it.
 */
public final class PemFiles {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private PemFiles() {}

  /**
   * The certificates of {@code file}, in file order (a chain: leaf first).
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static List<X509Certificate> certificates(Path file) {
    String text = read(file);
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(text)) {
        if (block.type().equals("CERTIFICATE")) {
          certificates.add((X509Certificate) factory.generateCertificate(
              new ByteArrayInputStream(block.der(file))));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + ": not a valid certificate (" + e.getMessage()
          + ")");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM certificate found (expected: "
          + "-----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(certificates);
  }

  /**
   * The one private key of {@code file}.
   *
   * @throws IllegalArgumentException when the file cannot be read, holds no key, an encrypted
   *     key, or a key in a form other than PKCS#8 (the message gives the conversion command)
   */
  public static PrivateKey privateKey(Path file) {
    String text = read(file);
    for (Block block : blocks(text)) {
      switch (block.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, block.der(file));
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(file
            + ": the key is encrypted (expected: an unencrypted PKCS#8 key; decrypt it with "
            + "'openssl pkcs8 -in " + file.getFileName() + " -out key.pem')");
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw
            new IllegalArgumentException(file + ": -----BEGIN " + block.type() + "----- is not"
                + " supported (expected: PKCS#8, -----BEGIN PRIVATE KEY-----; convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem')");
        default -> {
          // A certificate or parameters beside the key: skip.
        }
      }
    }
    throw new IllegalArgumentException(file + ": no PEM private key found (expected: "
        + "-----BEGIN PRIVATE KEY-----)");
  }

  /**
   * Checks that {@code key} is the private half of {@code certificate}'s public key.
   *
   * @throws IllegalArgumentException naming both files when it is not
   */
  public static void requireMatch(PrivateKey key, Path keyFile, X509Certificate certificate,
      Path certFile) {
    if (!matches(key, certificate)) {
      throw new IllegalArgumentException(keyFile + ": not the private key of the certificate in "
          + certFile);
    }
  }

  /**
   * Whether {@code key} is the private key of {@code certificate}: the same RSA modulus, or, for
   * EC and EdDSA keys, a signature by {@code key} that the certificate's public key verifies.
   */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    if (key instanceof RSAPrivateKey rsa
        && certificate.getPublicKey() instanceof RSAPublicKey publicKey) {
      return rsa.getModulus().equals(publicKey.getModulus());
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      // RSA key with a non-RSA certificate (or the reverse): no match.
      default -> null;
    };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = "meshd key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm: try the next.
      }
    }
    throw new IllegalArgumentException(file + ": not a valid PKCS#8 private key (expected: an "
        + "RSA, EC or EdDSA key)");
  }

  private static String read(Path file) {
    try {
      // Latin-1 decodes any byte: a binary (DER) file then reports "no PEM ... found".
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file not found");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(file + ": permission denied");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      blocks.add(new Block(matcher.group(1), matcher.group(2)));
    }
    return blocks;
  }

  private record Block(String type, String base64) {
    byte[] der(Path file) {
      try {
        return Base64.getMimeDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": the " + type + " block is not valid base64");
      }
    }
  }
}
