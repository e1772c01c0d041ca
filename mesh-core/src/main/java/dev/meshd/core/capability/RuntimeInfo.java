package dev.meshd.core.capability;

import java.util.List;
import java.util.Objects;

/**
 * An inference runtime on a node.
 *
 * @param kind vLLM, SGLang or TGI
 * @param endpoint base URL, e.g. {@code http://127.0.0.1:8000}
 * @param models served model names (the runtime's own names)
 */
public record RuntimeInfo(RuntimeKind kind, String endpoint, List<String> models) {
  public RuntimeInfo {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(endpoint, "endpoint");
    models = List.copyOf(models);
  }
}
