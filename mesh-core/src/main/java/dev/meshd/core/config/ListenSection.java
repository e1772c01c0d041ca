package dev.meshd.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code listen:} into a {@link ListenConfig}, with the DESIGN ports on loopback as
 * defaults, and rejects two TCP listeners on one port. Stateless.
 */
final class ListenSection {

  /** TCP listeners first, in the order their conflicts are reported; fabric (QUIC) is UDP. */
  static final List<String> KEYS = List.of("grpc", "gossip", "raft", "metrics", "router", "fabric");

  private static final Set<String> TCP_KEYS = Set.of("grpc", "gossip", "raft", "metrics", "router");

  /** Loopback by default: an agent exposes nothing to the network until an operator says so. */
  private static final String DEFAULT_HOST = "127.0.0.1";

  /** The DESIGN ports, so that tools and dashboards find an agent without being told. */
  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("grpc", 7070, "gossip", 7946, "raft", 7071, "metrics", 9464, "router", 8080,
          "fabric", 7072);

  /** Hosts that bind every interface, and so clash with any host on the same port. */
  static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

  private ListenSection() {}

  static ListenConfig read(MappingReader listen) {
    Map<String, HostPort> bound = new LinkedHashMap<>();
    Map<String, HostPort> tcp = new LinkedHashMap<>();
    for (String key : KEYS) {
      ConfigValue value = listen.get(key);
      Optional<HostPort> parsed = value.hostPort();
      HostPort address =
          parsed.orElseGet(() -> new HostPort(DEFAULT_HOST, DEFAULT_PORTS.get(key)));
      bound.put(key, address);
      // A wrong value is already reported; checking its stand-in default would only add noise.
      boolean valid = parsed.isPresent() || !value.isPresent();
      if (TCP_KEYS.contains(key) && valid) {
        checkTcpPortFree(listen, value, address, tcp);
        tcp.put(key, address);
      }
    }
    return new ListenConfig(bound.get("grpc"), bound.get("gossip"), bound.get("raft"),
        bound.get("metrics"), bound.get("router"), bound.get("fabric"));
  }

  /** Reports {@code address} if an earlier TCP listener binds the same port on an overlap. */
  private static void checkTcpPortFree(MappingReader listen, ConfigValue value, HostPort address,
      Map<String, HostPort> earlier) {
    for (Map.Entry<String, HostPort> other : earlier.entrySet()) {
      HostPort o = other.getValue();
      boolean overlap = o.host().equals(address.host()) || WILDCARDS.contains(o.host())
          || WILDCARDS.contains(address.host());
      if (o.port() == address.port() && overlap) {
        // A defaulted value has no line of its own: the error then points at listen: and says
        // that the clashing value is the default.
        value.error((value.isPresent() ? "" : "default ") + YamlNode.quote(address.toString())
            + " (expected: a port no other TCP listener uses; " + listen.keyPath(other.getKey())
            + " is " + o + ")");
        return;
      }
    }
  }
}
