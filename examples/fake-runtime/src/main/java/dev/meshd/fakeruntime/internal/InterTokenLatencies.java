package dev.meshd.fakeruntime.internal;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.List;

/**
 * vLLM's inter-token latency histogram, {@code vllm:inter_token_latency_seconds}: per model, the
 * seconds between each generated token of a request and the one before (a request's first token
 * is not observed, as vLLM counts it in the time to first token), with vLLM's bucket bounds and
 * labels ({@code model_name}, {@code engine="0"}). Thread-safe: the Prometheus client's histogram
 * is.
 */
public final class InterTokenLatencies {

  static final String NAME = "vllm:inter_token_latency_seconds";

  /** vLLM's bounds (vllm/v1/metrics/loggers.py), so a scraper sees the buckets vLLM serves. */
  private static final double[] VLLM_BOUNDS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
      0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};

  private static final String ENGINE = "0";

  private final Histogram histogram = Histogram.builder()
      .name(NAME)
      .help("Histogram of inter-token latency in seconds.")
      .labelNames("model_name", "engine")
      .classicOnly()
      .classicUpperBounds(VLLM_BOUNDS)
      // No exemplars: they need a tracer this fake does not have.
      .withoutExemplars()
      .build();

  /** Each served model's series, at 0 until its first observation, as vLLM shows them. */
  public InterTokenLatencies(List<String> models) {
    for (String model : models) {
      histogram.labelValues(model, ENGINE);
    }
  }

  /** One token of {@code model}, {@code seconds} after its request's previous token. */
  public void observe(String model, double seconds) {
    histogram.labelValues(model, ENGINE).observe(seconds);
  }

  /** Every model's series as they stand now. */
  public HistogramSnapshot snapshot() {
    return histogram.collect();
  }
}
