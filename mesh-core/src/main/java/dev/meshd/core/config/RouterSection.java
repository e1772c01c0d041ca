package dev.meshd.core.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code router:} into a {@link RouterConfig}. Stateless. */
final class RouterSection {

  static final List<String> KEYS = List.of("signal-heartbeat", "stale-after", "stale-signals",
      "max-attempts", "drain-timeout");

  private static final java.util.Map<String, Boolean> STALE_SIGNALS =
      java.util.Map.of("penalize", false, "drop", true);

  private RouterSection() {}

  static RouterConfig read(MappingReader router) {
    // Defaults and their reasons: RouterConfig.DEFAULT_SIGNAL_HEARTBEAT, DEFAULT_STALE_AFTER.
    ConfigValue heartbeatValue = router.get("signal-heartbeat");
    Duration heartbeat =
        heartbeatValue.duration().orElse(RouterConfig.DEFAULT_SIGNAL_HEARTBEAT);
    ConfigValue staleValue = router.get("stale-after");
    Duration staleAfter = staleValue.duration().orElse(RouterConfig.DEFAULT_STALE_AFTER);
    if (staleAfter.compareTo(heartbeat) <= 0) {
      // Checked here rather than left to RouterConfig so that the error names the key set.
      if (staleValue.isPresent()) {
        staleValue.error(ConfigLoader.formatDuration(staleAfter)
            + " (expected: more than router.signal-heartbeat "
            + ConfigLoader.formatDuration(heartbeat) + ")");
      } else {
        heartbeatValue.error(ConfigLoader.formatDuration(heartbeat)
            + " (expected: less than router.stale-after "
            + ConfigLoader.formatDuration(staleAfter) + ")");
      }
      return RouterConfig.defaults();
    }
    boolean dropStale = router.get("stale-signals").oneOf(STALE_SIGNALS).orElse(false);
    ConfigValue attemptsValue = router.get("max-attempts");
    int maxAttempts = attemptsValue.integer(1).orElse(RouterConfig.DEFAULT_MAX_ATTEMPTS);
    if (maxAttempts > 10) {
      attemptsValue.error(maxAttempts + " (expected: 1-10)");
      maxAttempts = RouterConfig.DEFAULT_MAX_ATTEMPTS;
    }
    Duration drainTimeout =
        router.get("drain-timeout").duration().orElse(RouterConfig.DEFAULT_DRAIN_TIMEOUT);
    return new RouterConfig(heartbeat, staleAfter, dropStale, maxAttempts, drainTimeout);
  }
}
