package dev.meshd.agent.runtime;

import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime gauges of DESIGN: {@code meshd_runtime_up{runtime}} and, per served model, {@code
 * meshd_runtime_queue_depth}, {@code meshd_runtime_running_requests}, {@code
 * meshd_runtime_kv_cache_usage_ratio}, {@code meshd_runtime_decode_tokens_per_second} {runtime,
 * model}. A model's rows disappear when its runtime stops reporting it or goes down, so
 * dashboards never show a frozen queue; the optional figures (KV cache, decode rate) have rows
 * only while present. Thread-safe.
 */
final class RuntimeMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
  private final Map<String, List<ModelLoad>> loads = new ConcurrentHashMap<>();
  private final MultiGauge queue;
  private final MultiGauge running;
  private final MultiGauge kvCache;
  private final MultiGauge decodeRate;

  RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.queue = MultiGauge.builder("meshd.runtime.queue.depth")
        .description("Requests waiting in the runtime's queue").register(registry);
    this.running = MultiGauge.builder("meshd.runtime.running.requests")
        .description("Requests in the runtime's running batch").register(registry);
    this.kvCache = MultiGauge.builder("meshd.runtime.kv.cache.usage.ratio")
        .description("Fraction of the runtime's KV cache in use").register(registry);
    this.decodeRate = MultiGauge.builder("meshd.runtime.decode.tokens.per.second")
        .description("Tokens per second each running request decodes, measured between scrapes")
        .register(registry);
  }

  void update(RuntimeConfig runtime, RuntimeSignal signal) {
    String label = runtime.label();
    up.computeIfAbsent(label, l -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("meshd.runtime.up", value, AtomicInteger::get)
          .description("1 when the runtime's last scrape succeeded")
          .tag("runtime", l).register(registry);
      return value;
    }).set(signal.healthy() ? 1 : 0);
    loads.put(label, signal.models());
    publish();
  }

  private synchronized void publish() {
    queue.register(rows(m -> OptionalDouble.of(m.queueDepth())), true);
    running.register(rows(m -> OptionalDouble.of(m.runningRequests())), true);
    kvCache.register(rows(ModelLoad::kvCacheUsage), true);
    decodeRate.register(rows(ModelLoad::decodeTokensPerSecond), true);
  }

  private List<MultiGauge.Row<?>> rows(Function<ModelLoad, OptionalDouble> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    loads.forEach((runtime, models) -> {
      for (ModelLoad model : models) {
        OptionalDouble v = value.apply(model);
        if (v.isPresent()) {
          rows.add(MultiGauge.Row.of(Tags.of("runtime", runtime, "model", model.model()),
              v.getAsDouble()));
        }
      }
    });
    return rows;
  }
}
