package dev.meshd.fabric.negotiate;

import dev.meshd.core.config.FabricConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The order in which transport groups are tried: the upstream's {@code fabric.order}, with
 * {@code quic} moved last. QUIC is the transport that always works, so a group listed after it
 * would never be tried; an operator who wants QUIC only lists QUIC only. Stateless.
 */
public final class TransportOrder {

  /** The group that is always possible, tried last. */
  public static final String QUIC = "quic";

  /** Groups that join GPUs of one host: tried only when both ends have the same host id. */
  public static final Set<String> SAME_HOST_GROUPS = Set.of("nvlink", "xgmi");

  private TransportOrder() {}

  /**
   * {@code configured} with {@code quic} moved last.
   *
   * @throws IllegalArgumentException for a group meshd does not know, or one listed twice
   */
  public static List<String> effective(List<String> configured) {
    Objects.requireNonNull(configured, "configured");
    List<String> order = new ArrayList<>(configured.size());
    for (String group : configured) {
      requireKnown(group);
      if (order.contains(group)) {
        throw new IllegalArgumentException(
            "fabric.order: " + group + " twice (expected: each group once)");
      }
      order.add(group);
    }
    if (order.remove(QUIC)) {
      order.add(QUIC);
    }
    return List.copyOf(order);
  }

  /** Whether {@code group} needs both ends on one host. */
  public static boolean needsSameHost(String group) {
    return SAME_HOST_GROUPS.contains(group);
  }

  /** Whether meshd knows {@code group}. */
  public static boolean isKnown(String group) {
    return FabricConfig.KNOWN_GROUPS.contains(group);
  }

  /** @throws IllegalArgumentException naming the known groups when {@code group} is not one */
  public static void requireKnown(String group) {
    if (!isKnown(group)) {
      throw new IllegalArgumentException("transport: " + group + " (expected: "
          + String.join(", ", FabricConfig.KNOWN_GROUPS) + ")");
    }
  }
}
