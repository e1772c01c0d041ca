package dev.meshd.core.signal;

import dev.meshd.core.capability.RuntimeKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One observation of one runtime: whether it answered with sane metrics, and the load of each
 * model it serves.
 *
 * @param kind vLLM, SGLang or TGI
 * @param endpoint the runtime's base URL as configured
 * @param healthy true when the last scrape succeeded and parsed
 * @param reason why the runtime is unhealthy (one line); empty when healthy
 * @param models the load of each served model; empty when unhealthy
 * @param observedAt when the scrape completed, by the observing agent's clock
 */
public record RuntimeSignal(
    RuntimeKind kind,
    String endpoint,
    boolean healthy,
    Optional<String> reason,
    List<ModelLoad> models,
    Instant observedAt) {

  public RuntimeSignal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(observedAt, "observedAt");
    models = List.copyOf(models);
    if (healthy == reason.isPresent()) {
      throw new IllegalArgumentException("reason: present exactly when the runtime is unhealthy");
    }
  }

  public static RuntimeSignal healthy(
      RuntimeKind kind, String endpoint, List<ModelLoad> models, Instant observedAt) {
    return new RuntimeSignal(kind, endpoint, true, Optional.empty(), models, observedAt);
  }

  public static RuntimeSignal unhealthy(
      RuntimeKind kind, String endpoint, String reason, Instant observedAt) {
    return new RuntimeSignal(kind, endpoint, false, Optional.of(reason), List.of(), observedAt);
  }

  /** The load of {@code model}, if this runtime reported it. */
  public Optional<ModelLoad> load(String model) {
    return models.stream().filter(m -> m.model().equals(model)).findFirst();
  }
}
