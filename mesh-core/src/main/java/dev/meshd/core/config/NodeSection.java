package dev.meshd.core.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Reads {@code node:} into a {@link NodeConfig}. Stateless. */
final class NodeSection {

  static final List<String> KEYS = List.of("id", "host-id", "zone", "region", "labels", "roles");

  /**
   * Node ids end up in Raft peer strings ({@code id@host:port}), metric labels and the default
   * data directory name, so they are restricted to characters safe in all three.
   */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private static final Map<String, Role> ROLES = new LinkedHashMap<>();

  static {
    for (Role role : Role.values()) {
      ROLES.put(role.configName(), role);
    }
  }

  private NodeSection() {}

  /**
   * @param defaultHostId asked only when {@code host-id} is not set
   */
  static NodeConfig read(MappingReader node, Supplier<String> defaultHostId) {
    ConfigValue idValue = node.required("id", "a unique node id such as node1");
    String id = idValue.nonBlankText().filter(text -> isValidId(idValue, text)).orElse("");
    ConfigValue hostIdValue = node.get("host-id");
    String hostId = hostIdValue.isPresent()
        ? hostIdValue.nonBlankText().orElse("")
        : defaultHostId.get();
    String zone = node.get("zone").text().orElse("");
    String region = node.get("region").text().orElse("");
    Map<String, String> labels = node.get("labels").stringMap();
    ConfigValue rolesValue = node.get("roles");
    Set<Role> roles = null;
    if (rolesValue.isPresent()) {
      roles = new LinkedHashSet<>();
      for (ConfigValue item : rolesValue.list()) {
        item.oneOf(ROLES).ifPresent(roles::add);
      }
    }
    return new NodeConfig(id, hostId, zone, region, labels, roles);
  }

  private static boolean isValidId(ConfigValue value, String text) {
    if (ID.matcher(text).matches()) {
      return true;
    }
    value.error(YamlNode.quote(text)
        + " (expected: letters, digits, '.', '_' or '-', starting with a letter or digit)");
    return false;
  }
}
