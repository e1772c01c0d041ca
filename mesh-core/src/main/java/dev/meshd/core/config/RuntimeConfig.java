package dev.meshd.core.config;

import dev.meshd.core.capability.RuntimeKind;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code runtimes:}.
 *
 * @param kind {@code vllm}, {@code sglang} or {@code tgi}
 * @param endpoint base URL (http or https) of the runtime
 * @param models served model names; empty: asked from the runtime's {@code /v1/models}
 */
public record RuntimeConfig(RuntimeKind kind, URI endpoint, List<String> models) {
  public RuntimeConfig {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(endpoint, "endpoint");
    models = models == null ? List.of() : List.copyOf(models);
  }
}
