package dev.meshd.core.config;

import dev.meshd.core.capability.RuntimeKind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code runtimes:}.
 *
 * @param kind {@code vllm}, {@code sglang} or {@code tgi}
 * @param endpoint base URL (http or https) of the runtime
 * @param models served model names; empty: asked from the runtime's {@code /v1/models}
 * @param scrapeInterval how often the agent reads the runtime's {@code /metrics}
 */
public record RuntimeConfig(
    RuntimeKind kind, URI endpoint, List<String> models, Duration scrapeInterval) {

  /**
   * 500 ms: queue depth changes with every request; routers judge signals older than a couple
   * of intervals stale. A vLLM {@code /metrics} answer costs about a millisecond.
   */
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMillis(500);

  public RuntimeConfig {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(scrapeInterval, "scrapeInterval");
    models = models == null ? List.of() : List.copyOf(models);
  }

  public RuntimeConfig(RuntimeKind kind, URI endpoint, List<String> models) {
    this(kind, endpoint, models, DEFAULT_SCRAPE_INTERVAL);
  }

  /** A short name for labels and logs: {@code vllm@127.0.0.1:8000}. */
  public String label() {
    String hostPort = endpoint.getPort() < 0 ? endpoint.getHost()
        : endpoint.getHost() + ":" + endpoint.getPort();
    return kind.configName() + "@" + hostPort;
  }
}
