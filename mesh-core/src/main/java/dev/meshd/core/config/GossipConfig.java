package dev.meshd.core.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code gossip:} how the agent joins the fleet.
 *
 * @param seeds gossip addresses to join through; empty: this agent starts a new fleet
 * @param profile the named profile the timing came from ({@code lan} by default)
 * @param tuning the profile's timing with the config's overrides applied
 */
public record GossipConfig(List<HostPort> seeds, GossipProfile profile, GossipTuning tuning) {
  public GossipConfig {
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(tuning, "tuning");
  }
}
