package dev.meshd.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RuntimeMetricsTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RuntimeMetrics metrics = new RuntimeMetrics(registry);
  private final RuntimeConfig runtime =
      new RuntimeConfig(RuntimeKind.VLLM, URI.create("http://127.0.0.1:8000"), List.of("m"));

  @Test
  void aRowKeepsItsGaugeWhileItsValueChangesSoNoScrapeFindsItMissing() {
    metrics.update(runtime, healthy(new ModelLoad("m", 3, 1, OptionalDouble.empty(),
        OptionalDouble.of(40))));
    Gauge queue = queueGauge();
    Gauge rate = registry.get("meshd.runtime.decode.tokens.per.second").gauge();

    metrics.update(runtime, healthy(new ModelLoad("m", 5, 1, OptionalDouble.empty(),
        OptionalDouble.of(35.5))));

    // The same gauges, read again: never removed and added back between two updates.
    assertThat(queueGauge()).isSameAs(queue);
    assertThat(queue.value()).isEqualTo(5);
    assertThat(registry.get("meshd.runtime.decode.tokens.per.second").gauge()).isSameAs(rate);
    assertThat(rate.value()).isEqualTo(35.5);
  }

  @Test
  void rowsGoWithTheirValueAndComeBackWithIt() {
    metrics.update(runtime, healthy(new ModelLoad("m", 3, 1, OptionalDouble.empty(),
        OptionalDouble.of(40))));

    metrics.update(runtime, healthy(new ModelLoad("m", 3, 1, OptionalDouble.empty())));
    assertThat(registry.find("meshd.runtime.decode.tokens.per.second").gauge()).isNull();
    assertThat(queueGauge().value()).isEqualTo(3);

    metrics.update(runtime, RuntimeSignal.unhealthy(RuntimeKind.VLLM, "x", "down", NOW));
    assertThat(registry.find("meshd.runtime.queue.depth").gauge()).isNull();

    metrics.update(runtime, healthy(new ModelLoad("m", 2, 1, OptionalDouble.empty(),
        OptionalDouble.of(12))));
    assertThat(queueGauge().value()).isEqualTo(2);
    assertThat(registry.get("meshd.runtime.decode.tokens.per.second").gauge().value())
        .isEqualTo(12);
  }

  private Gauge queueGauge() {
    return registry.get("meshd.runtime.queue.depth").tag("model", "m")
        .tag("runtime", runtime.label()).gauge();
  }

  private static RuntimeSignal healthy(ModelLoad load) {
    return RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000", List.of(load), NOW);
  }
}
