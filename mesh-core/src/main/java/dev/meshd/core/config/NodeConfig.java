package dev.meshd.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code node:} identity of this agent.
 *
 * @param id unique in the fleet; required
 * @param hostId machine identity; default: /etc/machine-id, else the host name
 * @param zone failure domain; default empty
 * @param region default empty
 * @param labels free-form; default none
 * @param roles default {@code [gpu]}
 */
public record NodeConfig(
    String id, String hostId, String zone, String region, Map<String, String> labels,
    Set<Role> roles) {
  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostId, "hostId");
    zone = Objects.requireNonNullElse(zone, "");
    region = Objects.requireNonNullElse(region, "");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    roles = roles == null ? Set.of(Role.GPU) : Set.copyOf(roles);
  }
}
