package dev.meshd.agent.runtime.internal;

import java.util.Map;
import java.util.Objects;

/** One sample line of the Prometheus text format: a name, its labels and a value. */
public record MetricSample(String name, Map<String, String> labels, double value) {
  public MetricSample {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
  }

  public String label(String key) {
    return labels.get(key);
  }
}
