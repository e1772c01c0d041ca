package dev.meshd.agent.runtime;

import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
  private final List<Family> families;

  RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.families = List.of(
        new Family(registry, "meshd.runtime.queue.depth", "Requests waiting in the runtime's queue",
            m -> OptionalDouble.of(m.queueDepth())),
        new Family(registry, "meshd.runtime.running.requests",
            "Requests in the runtime's running batch", m -> OptionalDouble.of(m.runningRequests())),
        new Family(registry, "meshd.runtime.kv.cache.usage.ratio",
            "Fraction of the runtime's KV cache in use", ModelLoad::kvCacheUsage),
        new Family(registry, "meshd.runtime.decode.tokens.per.second",
            "Tokens per second each running request decodes, measured between scrapes",
            ModelLoad::decodeTokensPerSecond));
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
    for (Family family : families) {
      family.publish(loads);
    }
  }

  /**
   * One gauge name with a row per (runtime, model) that has a value. A row keeps its gauge, and
   * the holder the gauge reads, for as long as it has a value; only its value changes. (Letting
   * MultiGauge overwrite rows instead removes and re-adds each gauge on every update, and a
   * Prometheus scrape that lands in between finds the row missing.) Guarded by the enclosing
   * instance's lock.
   */
  private static final class Family {
    private final MultiGauge gauge;
    private final Function<ModelLoad, OptionalDouble> value;
    private final Map<Tags, AtomicLong> rows = new HashMap<>(); // double bits

    Family(MeterRegistry registry, String name, String description,
        Function<ModelLoad, OptionalDouble> value) {
      this.gauge = MultiGauge.builder(name).description(description).register(registry);
      this.value = value;
    }

    void publish(Map<String, List<ModelLoad>> loads) {
      Map<Tags, Double> now = new HashMap<>();
      loads.forEach((runtime, models) -> {
        for (ModelLoad model : models) {
          OptionalDouble v = value.apply(model);
          if (v.isPresent()) {
            now.put(Tags.of("runtime", runtime, "model", model.model()), v.getAsDouble());
          }
        }
      });
      rows.keySet().retainAll(now.keySet());
      now.forEach((tags, v) ->
          rows.computeIfAbsent(tags, t -> new AtomicLong()).set(Double.doubleToLongBits(v)));
      List<MultiGauge.Row<?>> registered = new ArrayList<>(rows.size());
      rows.forEach((tags, bits) -> registered.add(
          MultiGauge.Row.of(tags, bits, b -> Double.longBitsToDouble(b.get()))));
      // Without overwrite: rows already there keep their gauge, new ones are added, and rows
      // without a value any more are removed.
      gauge.register(registered, false);
    }
  }
}
