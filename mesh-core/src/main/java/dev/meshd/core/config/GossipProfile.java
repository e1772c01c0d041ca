package dev.meshd.core.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Tuned SWIM settings, after memberlist's {@code DefaultLANConfig}/{@code DefaultLocalConfig}.
 *
 * <p>scalecube's own defaults make the suspicion timeout grow with log2(N) from a 1 s ping
 * interval times a multiplier of 5, about 20 s at 10 nodes; operators expect a dead node to
 * leave the routing set faster than that. Both profiles keep a killed agent ALIVE for at most
 * about {@code pingInterval + pingTimeout} plus an indirect probe round (it is SUSPECT after the
 * first failed probe) and declare it DEAD after a further {@code suspicionMult *
 * ceil(log2(N + 1)) * pingInterval} (scalecube's {@code ClusterMath.suspicionTimeout}).
 */
public enum GossipProfile {
  /**
   * Loopback or one rack: with 3 nodes a killed one is SUSPECT within ~1 s and DEAD within
   * ~4 s (~10 s with 32 nodes). Cheap in a local mesh where packets are never lost.
   */
  LOCAL(new GossipTuning(
      // Probe every 500 ms: loopback RTT is microseconds; CPU cost is one small message.
      Duration.ofMillis(500),
      // A probe answered after 300 ms on loopback means the peer is stalled.
      Duration.ofMillis(300),
      // One indirect probe: a 3-node mesh has at most one other helper.
      1,
      // suspicion timeout = 3 * ceil(log2(N + 1)) * pingInterval: 3 s at 3 nodes.
      3,
      // Anti-entropy full sync every 5 s heals missed gossip quickly.
      Duration.ofSeconds(5),
      // Spread gossip every 100 ms (scalecube's local default).
      Duration.ofMillis(100),
      // Fan gossip out to 3 peers per round.
      3,
      // Metadata fetch timeout: a local peer that cannot answer in 1 s is overloaded.
      Duration.ofSeconds(1),
      // TCP connect timeout for the gossip transport.
      Duration.ofSeconds(1))),
  /**
   * A data-center LAN: hundreds of nodes; SUSPECT within ~2 s, DEAD after a further
   * 4 * ceil(log2(N + 1)) s: 8 s at 3 nodes, 20 s at 16, 32 s at 128.
   */
  LAN(new GossipTuning(
      // memberlist's LAN probe interval is 1 s; failures are seen within 1-2 probe rounds.
      Duration.ofSeconds(1),
      // 500 ms is memberlist's LAN probe timeout (RTT plus scheduling jitter under load).
      Duration.ofMillis(500),
      // Three indirect probes avoid false suspicion from one bad path.
      3,
      // suspicion timeout = 4 * ceil(log2(N + 1)) * 1 s; memberlist uses 4 for LAN.
      4,
      // Full state sync every 30 s (scalecube's default) bounds the cost on large fleets.
      Duration.ofSeconds(30),
      // Gossip every 200 ms (memberlist LAN).
      Duration.ofMillis(200),
      // Fan-out 3 (memberlist LAN).
      3,
      // Metadata fetch timeout 3 s (scalecube's default).
      Duration.ofSeconds(3),
      // TCP connect timeout 3 s (scalecube's default).
      Duration.ofSeconds(3)));

  private final GossipTuning tuning;

  GossipProfile(GossipTuning tuning) {
    this.tuning = tuning;
  }

  public GossipTuning tuning() {
    return tuning;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
