package dev.meshd.agent.auth;

import dev.meshd.core.security.ClusterKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens that may call the gRPC API: the entries of {@code security.tokens-file} plus the
 * agents' own credential derived from the cluster key.
 *
 * <p>Only SHA-256 digests are kept in memory, and a presented token is compared by digest in
 * constant time against every entry, so neither timing nor a heap dump reveals a token.
 * Immutable and thread-safe.
 */
public final class TokenRegistry {

  private final List<Entry> entries;
  private final Optional<byte[]> agentDigest;

  /** One token: its name (for audit lines), its role, and the SHA-256 of the secret. */
  public record Entry(String name, Role role, byte[] sha256) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      if (sha256.length != 32) {
        throw new IllegalArgumentException("sha256: " + sha256.length + " bytes (expected: 32)");
      }
      sha256 = sha256.clone();
    }
  }

  public TokenRegistry(List<Entry> entries, Optional<ClusterKey> clusterKey) {
    this.entries = List.copyOf(entries);
    this.agentDigest = clusterKey.map(key -> sha256(agentToken(key)));
  }

  /** The bearer token agents present to each other: derived from the cluster key. */
  public static String agentToken(ClusterKey clusterKey) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(clusterKey.derive("agent-credential/v1"));
  }

  /** The caller a presented token belongs to, if any. */
  public Optional<Caller> authenticate(String token) {
    byte[] digest = sha256(token.strip());
    Caller match = null;
    // Compare against every entry, without stopping at the first match, so that the time taken
    // does not tell which entry matched.
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.sha256(), digest) && match == null) {
        match = new Caller(entry.name(), entry.role());
      }
    }
    if (agentDigest.isPresent() && MessageDigest.isEqual(agentDigest.get(), digest)
        && match == null) {
      match = new Caller("agent", Role.AGENT);
    }
    return Optional.ofNullable(match);
  }

  public int size() {
    return entries.size();
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static byte[] parseHex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
