package dev.meshd.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every agent of one fleet shares: 32 random bytes, stored as one base64 line.
 *
 * <p>It is never used directly: {@link #derive(String)} gives a separate key per purpose
 * (gossip records, agent-to-agent credentials), so that a leak of one derived key does not
 * expose the others. Immutable and thread-safe.
 */
public final class ClusterKey {

  /** Key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] secret;

  private ClusterKey(byte[] secret) {
    if (secret.length != LENGTH) {
      throw new IllegalArgumentException(
          "cluster key: " + secret.length + " bytes (expected: " + LENGTH + ")");
    }
    this.secret = secret.clone();
  }

  /** A new random key. */
  public static ClusterKey generate(SecureRandom random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new ClusterKey(bytes);
  }

  /**
   * Parses the one-line base64 form.
   *
   * @throws IllegalArgumentException saying what is wrong, without echoing the secret
   */
  public static ClusterKey parse(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid base64 (expected: 32 random bytes in base64, "
          + "as printed by 'mesh-agent keygen')");
    }
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "decodes to " + bytes.length + " bytes (expected: " + LENGTH + ")");
    }
    return new ClusterKey(bytes);
  }

  /**
   * Reads a key file: one non-empty line; blank lines and lines starting with {@code #} are
   * ignored.
   *
   * @throws IllegalArgumentException naming the file and line of the problem
   */
  public static ClusterKey load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": cluster key file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read cluster key file: " + e.getMessage());
    }
    String keyLine = null;
    int keyLineNumber = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (keyLine != null) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": cluster key file has a second key line (expected: one)");
      }
      keyLine = line;
      keyLineNumber = i + 1;
    }
    if (keyLine == null) {
      throw new IllegalArgumentException(
          file + ": cluster key file is empty (expected: one base64 line, see 'mesh-agent keygen')");
    }
    try {
      return parse(keyLine);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ":" + keyLineNumber + ": " + e.getMessage());
    }
  }

  /** The one-line base64 form, as written to key files. */
  public String encoded() {
    return Base64.getEncoder().encodeToString(secret);
  }

  /** A key for one purpose: HMAC-SHA256(secret, "meshd/" + purpose). */
  public byte[] derive(String purpose) {
    return hmacSha256(secret, ("meshd/" + purpose).getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  public static byte[] hmacSha256(byte[] key, byte[]... data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : data) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Constant-time comparison, so MAC checks leak no timing. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterKey other && MessageDigest.isEqual(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(derive("hash"));
  }

  @Override
  public String toString() {
    return "ClusterKey[redacted]";
  }
}
