package dev.meshd.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * SWIM timing, from a {@link GossipProfile} with optional per-key overrides in the config.
 *
 * @param pingInterval how often a member probes one random peer
 * @param pingTimeout how long a direct probe may take before indirect probes start
 * @param pingReqMembers how many peers are asked to probe indirectly
 * @param suspicionMult suspicion timeout = suspicionMult * ceil(log2(N)) * pingInterval
 * @param syncInterval period of the full membership sync with a random peer
 * @param gossipInterval period of gossip dissemination rounds
 * @param gossipFanout peers per gossip round
 * @param metadataTimeout how long fetching a peer's capability record may take
 * @param connectTimeout TCP connect timeout of the gossip transport
 */
public record GossipTuning(
    Duration pingInterval,
    Duration pingTimeout,
    int pingReqMembers,
    int suspicionMult,
    Duration syncInterval,
    Duration gossipInterval,
    int gossipFanout,
    Duration metadataTimeout,
    Duration connectTimeout) {
  public GossipTuning {
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(pingTimeout, "pingTimeout");
    Objects.requireNonNull(syncInterval, "syncInterval");
    Objects.requireNonNull(gossipInterval, "gossipInterval");
    Objects.requireNonNull(metadataTimeout, "metadataTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (!pingTimeout.minus(pingInterval).isNegative()) {
      throw new IllegalArgumentException(
          "ping-timeout: " + pingTimeout + " (expected: less than ping-interval " + pingInterval
              + ")");
    }
    if (pingReqMembers < 0 || suspicionMult < 1 || gossipFanout < 1) {
      throw new IllegalArgumentException(
          "ping-req-members >= 0, suspicion-mult >= 1 and gossip-fanout >= 1 expected");
    }
  }
}
