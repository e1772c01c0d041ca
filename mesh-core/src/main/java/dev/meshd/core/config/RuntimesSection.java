package dev.meshd.core.config;

import dev.meshd.core.capability.RuntimeKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code runtimes:} into {@link RuntimeConfig}s. Stateless. */
final class RuntimesSection {

  static final List<String> KEYS = List.of("kind", "endpoint", "models", "scrape-interval");

  private static final Map<String, RuntimeKind> KINDS = new LinkedHashMap<>();

  static {
    for (RuntimeKind kind : RuntimeKind.values()) {
      KINDS.put(kind.configName(), kind);
    }
  }

  private RuntimesSection() {}

  static List<RuntimeConfig> read(ConfigValue runtimes) {
    List<RuntimeConfig> out = new ArrayList<>();
    for (ConfigValue item : runtimes.list()) {
      item.mappingIfValid(KEYS).flatMap(RuntimesSection::readOne).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<RuntimeConfig> readOne(MappingReader runtime) {
    Optional<RuntimeKind> kind =
        runtime.required("kind", String.join(", ", KINDS.keySet())).oneOf(KINDS);
    Optional<URI> endpoint =
        runtime.required("endpoint", "the runtime's base URL, e.g. http://127.0.0.1:8000")
            .httpUrl();
    // No models: the agent asks the runtime's /v1/models, so configs need not repeat them.
    List<String> models = new ArrayList<>();
    for (ConfigValue model : runtime.get("models").list()) {
      model.nonBlankText().ifPresent(models::add);
    }
    Duration interval = runtime.get("scrape-interval").duration()
        .orElse(RuntimeConfig.DEFAULT_SCRAPE_INTERVAL);
    if (kind.isEmpty() || endpoint.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RuntimeConfig(kind.get(), endpoint.get(), models, interval));
  }
}
