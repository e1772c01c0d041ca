package dev.meshd.fakeruntime.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /metrics}: the engine's real load in vLLM's current metric names and labels
 * ({@code engine="0"}, {@code model_name}), Prometheus text format 0.0.4. Waiting, running, the
 * token counters and the inter-token latency histogram are broken down by the model each request
 * asked for (so a model's generated-token growth over its running requests, and its histogram's
 * {@code _count / _sum}, are the configured generation rate); KV-cache usage is the engine's (one
 * budget shared by all models), repeated under each model. The gauges and counters are written
 * here as vLLM writes them; the histogram is the Prometheus client's, in its text format.
 * Stateless.
 */
public final class MetricsHandler implements HttpHandler {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final PrometheusTextFormatWriter HISTOGRAMS =
      PrometheusTextFormatWriter.create();

  private final Engine engine;
  private final OpenAiFormat format;

  public MetricsHandler(Engine engine, OpenAiFormat format) {
    this.engine = engine;
    this.format = format;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (Replies.refuseUnless(exchange, format, "GET")) {
        return;
      }
      Replies.send(exchange, 200, CONTENT_TYPE,
          render(engine.snapshot()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The text of {@code /metrics} for one snapshot. */
  public static String render(Engine.Snapshot s) {
    StringBuilder out = new StringBuilder(2048);
    Map<String, Engine.ModelLoad> loads = s.byModel();
    gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.");
    loads.forEach((m, l) -> sample(out, "vllm:num_requests_running", m, l.running()));
    gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.");
    loads.forEach((m, l) -> sample(out, "vllm:num_requests_waiting", m, l.waiting()));
    gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.");
    loads.forEach((m, l) -> sample(out, "vllm:kv_cache_usage_perc", m, s.kvCacheUsage()));
    Map<String, Engine.TokenCounts> tokens = s.tokensByModel();
    counter(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.");
    tokens.forEach((m, t) -> sample(out, "vllm:prompt_tokens_total", m, t.prompt()));
    counter(out, "vllm:generation_tokens_total", "Number of generation tokens processed.");
    tokens.forEach((m, t) -> sample(out, "vllm:generation_tokens_total", m, t.generation()));
    out.append(histograms(MetricSnapshots.of(s.interTokenLatencies())));
    return out.toString();
  }

  private static String histograms(MetricSnapshots snapshots) {
    ByteArrayOutputStream text = new ByteArrayOutputStream(4096);
    try {
      HISTOGRAMS.write(text, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return text.toString(StandardCharsets.UTF_8);
  }

  private static void gauge(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static void counter(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
  }

  private static void sample(StringBuilder out, String name, String model, double value) {
    out.append(name).append("{engine=\"0\",model_name=\"").append(escape(model)).append("\"} ")
        .append(value).append('\n');
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
