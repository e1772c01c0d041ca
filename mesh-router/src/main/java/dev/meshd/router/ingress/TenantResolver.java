package dev.meshd.router.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who sends a request: the {@value #TENANT_HEADER} header when present, otherwise a stable name
 * derived from the API key ({@code key-} and the first 12 hex digits of its SHA-256, so keys
 * never appear in logs or metrics), otherwise {@code anonymous}. Stateless.
 */
public final class TenantResolver {

  public static final String TENANT_HEADER = "x-meshd-tenant";
  public static final String ANONYMOUS = "anonymous";

  private TenantResolver() {}

  public static String tenant(String tenantHeader, String authorization) {
    if (tenantHeader != null && !tenantHeader.isBlank()) {
      return tenantHeader.strip();
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = authorization.substring(7).strip();
      if (!key.isEmpty()) {
        return "key-" + sha256Prefix(key);
      }
    }
    return ANONYMOUS;
  }

  private static String sha256Prefix(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
