package dev.meshd.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code gossip:} into a {@link GossipConfig}: seeds, a named {@link GossipProfile} and
 * optional per-key overrides of its timing. Stateless.
 */
final class GossipSection {

  static final List<String> KEYS = List.of("seeds", "profile", "ping-interval", "ping-timeout",
      "ping-req-members", "suspicion-mult", "sync-interval", "gossip-interval", "gossip-fanout",
      "metadata-timeout", "connect-timeout");

  private static final Map<String, GossipProfile> PROFILES = new LinkedHashMap<>();

  static {
    for (GossipProfile profile : GossipProfile.values()) {
      PROFILES.put(profile.configName(), profile);
    }
  }

  private GossipSection() {}

  static GossipConfig read(MappingReader gossip) {
    List<HostPort> seeds = new ArrayList<>();
    for (ConfigValue seed : gossip.get("seeds").list()) {
      seed.hostPort().ifPresent(seeds::add);
    }
    // lan: the conservative choice; local is only right when every peer is on one machine.
    GossipProfile profile = gossip.get("profile").oneOf(PROFILES).orElse(GossipProfile.LAN);
    GossipTuning base = profile.tuning();
    ConfigValue pingIntervalValue = gossip.get("ping-interval");
    Duration pingInterval = pingIntervalValue.duration().orElse(base.pingInterval());
    ConfigValue pingTimeoutValue = gossip.get("ping-timeout");
    Duration pingTimeout = pingTimeoutValue.duration().orElse(base.pingTimeout());
    int pingReqMembers = gossip.get("ping-req-members").integer(0).orElse(base.pingReqMembers());
    int suspicionMult = gossip.get("suspicion-mult").integer(1).orElse(base.suspicionMult());
    Duration syncInterval = gossip.get("sync-interval").duration().orElse(base.syncInterval());
    Duration gossipInterval =
        gossip.get("gossip-interval").duration().orElse(base.gossipInterval());
    int gossipFanout = gossip.get("gossip-fanout").integer(1).orElse(base.gossipFanout());
    Duration metadataTimeout =
        gossip.get("metadata-timeout").duration().orElse(base.metadataTimeout());
    Duration connectTimeout =
        gossip.get("connect-timeout").duration().orElse(base.connectTimeout());
    if (!pingTimeout.minus(pingInterval).isNegative()) {
      // Checked here rather than left to GossipTuning so that the error names the override.
      String suffix = " (profile " + profile.configName() + ")";
      if (pingTimeoutValue.isPresent()) {
        pingTimeoutValue.error(ConfigLoader.formatDuration(pingTimeout)
            + " (expected: less than ping-interval " + ConfigLoader.formatDuration(pingInterval)
            + ")" + suffix);
      } else {
        pingIntervalValue.error(ConfigLoader.formatDuration(pingInterval)
            + " (expected: more than ping-timeout " + ConfigLoader.formatDuration(pingTimeout)
            + ")" + suffix);
      }
      return new GossipConfig(seeds, profile, base);
    }
    GossipTuning tuning;
    try {
      tuning = new GossipTuning(pingInterval, pingTimeout, pingReqMembers, suspicionMult,
          syncInterval, gossipInterval, gossipFanout, metadataTimeout, connectTimeout);
    } catch (IllegalArgumentException e) {
      // A rule GossipTuning gained after this reader was written: report it at gossip:.
      gossip.error(null, e.getMessage());
      tuning = base;
    }
    return new GossipConfig(seeds, profile, tuning);
  }
}
