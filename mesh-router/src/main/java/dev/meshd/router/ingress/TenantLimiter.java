package dev.meshd.router.ingress;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant in-flight counts, for the policy's {@code max-in-flight-per-tenant}. A permit is
 * taken before a request is proxied and returned when its response ends, however it ends.
 * Thread-safe; a tenant's entry disappears when its count returns to zero, so the map stays as
 * small as the set of tenants with requests in flight.
 */
final class TenantLimiter {

  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  /** Takes a permit unless {@code tenant} already has {@code limit} in flight (0: no limit). */
  boolean tryAcquire(String tenant, int limit) {
    boolean[] acquired = {false};
    inFlight.compute(tenant, (t, n) -> {
      int current = n == null ? 0 : n;
      if (limit > 0 && current >= limit) {
        return n;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  void release(String tenant) {
    inFlight.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  int inFlight(String tenant) {
    return inFlight.getOrDefault(tenant, 0);
  }
}
