package dev.meshd.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code fabric:} into a {@link FabricConfig}. Stateless. */
final class FabricSection {

  static final List<String> KEYS = List.of("order", "rdma", "certificate-dir");

  static final List<String> RDMA_KEYS = List.of("provider");

  private FabricSection() {}

  /** @param configDir a relative {@code certificate-dir} is resolved against it */
  static FabricConfig read(MappingReader fabric, java.nio.file.Path configDir) {
    ConfigValue orderValue = fabric.get("order");
    // Absent: FabricConfig's default, fastest first (same-host links, then RDMA, then QUIC).
    List<String> order = orderValue.isPresent() ? readOrder(orderValue) : null;
    // auto: use whichever RDMA-capable libfabric provider the host has.
    String provider =
        fabric.get("rdma").mapping(RDMA_KEYS).get("provider").nonBlankText().orElse(null);
    // Absent: beside the Raft storage (FabricConfig.certificateDir).
    java.nio.file.Path certificateDir = fabric.get("certificate-dir").file(configDir).orElse(null);
    return new FabricConfig(order, provider, certificateDir);
  }

  private static List<String> readOrder(ConfigValue orderValue) {
    List<String> order = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    List<ConfigValue> items = orderValue.list();
    for (ConfigValue item : items) {
      item.oneOf(FabricConfig.KNOWN_GROUPS).ifPresent(group -> {
        String first = seen.putIfAbsent(group, item.key());
        if (first != null) {
          item.error(YamlNode.quote(group)
              + " (expected: each transport group once; " + first + " has it)");
        } else {
          order.add(group);
        }
      });
    }
    if (orderValue.isList() && items.isEmpty()) {
      // No transport at all would leave every stage link unusable.
      orderValue.error("empty (expected: transport groups in preference order, from "
          + String.join(", ", FabricConfig.KNOWN_GROUPS) + ")");
    }
    return order;
  }
}
