package dev.meshd.fakeruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code /metrics} text against the recorded vLLM fixture (fixtures/vllm-metrics.txt, the
 * current metric names). meshd's parser (mesh-agent's {@code RuntimeMetricsReader}) is not used
 * here on purpose: this module depends on no meshd module, so that the router and end-to-end
 * tests can depend on it. The checks below are the ones that parser makes: sample lines of
 * {@code name{labels} value}, a {@code model_name} label, counts >= 0, KV use in 0..1, and for
 * a histogram its {@code _bucket}, {@code _count} and {@code _sum} series.
 */
class MetricsHandlerTest {

  private static final Pattern SAMPLE = Pattern.compile(
      "^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\}"
          + " ([-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  @Test
  void everySampleLineHasTheFixturesNameTypeAndLabels() throws Exception {
    Engine engine = new Engine(List.of("m1", "m2"), 1, 8, 100);
    engine.admit("m1", 30);
    engine.admit("m2", 5);
    engine.admit("m2", 5);
    String text = MetricsHandler.render(engine.snapshot());
    Map<String, String> fixtureTypes = types(fixtureWithInterTokenLatency());
    Map<String, List<String>> fixtureLabels = labelKeys(fixtureWithInterTokenLatency());

    String family = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        family = line.split(" ")[2];
        assertThat(fixtureTypes).containsKey(family);
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertThat(parts[2]).isEqualTo(family);
        assertThat(parts[3]).isEqualTo(fixtureTypes.get(family));
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line: " + line).isTrue();
      assertThat(m.group(1)).isIn(fixtureTypes.get(family).equals("histogram")
          ? List.of(family + "_bucket", family + "_count", family + "_sum") : List.of(family));
      // Label order carries no meaning in the format: the Prometheus client writes le last.
      assertThat(keys(m.group(2)))
          .containsExactlyInAnyOrderElementsOf(fixtureLabels.get(m.group(1)));
      assertThat(Double.parseDouble(m.group(3))).isGreaterThanOrEqualTo(0);
    }
    assertThat(text).endsWith("\n");
  }

  @Test
  void reportsWaitingAndRunningPerModelAndTheSharedKvUse() throws Exception {
    Engine engine = new Engine(List.of("m1", "m2"), 1, 8, 100);
    Engine.Ticket running = engine.admit("m1", 30);
    engine.admit("m2", 5);
    engine.admit("m2", 5);
    running.onToken();

    String text = MetricsHandler.render(engine.snapshot());

    assertThat(text).contains(
        "vllm:num_requests_running{engine=\"0\",model_name=\"m1\"} 1.0\n",
        "vllm:num_requests_running{engine=\"0\",model_name=\"m2\"} 0.0\n",
        "vllm:num_requests_waiting{engine=\"0\",model_name=\"m1\"} 0.0\n",
        "vllm:num_requests_waiting{engine=\"0\",model_name=\"m2\"} 2.0\n",
        "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m1\"} 0.31\n",
        "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m2\"} 0.31\n",
        "vllm:prompt_tokens_total{engine=\"0\",model_name=\"m1\"} 30.0\n",
        "vllm:prompt_tokens_total{engine=\"0\",model_name=\"m2\"} 10.0\n",
        "vllm:generation_tokens_total{engine=\"0\",model_name=\"m1\"} 1.0\n",
        "vllm:generation_tokens_total{engine=\"0\",model_name=\"m2\"} 0.0\n");
  }

  @Test
  void eachModelCountsTheTokensItsOwnRequestsGenerated() throws Exception {
    // Per model, as vLLM labels them: a scraper divides a model's counter growth by that
    // model's running requests, so tokens of another model must not land in it.
    Engine engine = new Engine(List.of("m1", "m2"), 2, 8, 1000);
    Engine.Ticket a = engine.admit("m1", 1);
    Engine.Ticket b = engine.admit("m2", 1);
    for (int i = 0; i < 3; i++) {
      a.onToken();
    }
    b.onToken();
    a.close(); // a finished request's tokens stay counted: the counter never goes down

    assertThat(engine.snapshot().tokensByModel()).containsExactly(
        Map.entry("m1", new Engine.TokenCounts(1, 3)),
        Map.entry("m2", new Engine.TokenCounts(1, 1)));
  }

  @Test
  void theInterTokenHistogramTimesEachTokenButARequestsFirstByItsModel() throws Exception {
    AtomicLong nanos = new AtomicLong();
    Engine engine = new Engine(List.of("m1", "m2"), 2, 8, 1000, nanos::get);
    Engine.Ticket ticket = engine.admit("m1", 1);
    for (long atMillis : new long[] {0, 20, 45, 145}) {
      nanos.set(Duration.ofMillis(atMillis).toNanos());
      ticket.onToken();
    }

    String text = MetricsHandler.render(engine.snapshot());

    assertThat(text).contains(
        "# TYPE vllm:inter_token_latency_seconds histogram\n",
        // 20 ms, 25 ms and 100 ms: cumulative buckets of vLLM's bounds
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"0.01\"} 0\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"0.025\"} 2\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"0.075\"} 2\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"0.1\"} 3\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"80.0\"} 3\n",
        "vllm:inter_token_latency_seconds_bucket{engine=\"0\",model_name=\"m1\",le=\"+Inf\"} 3\n",
        "vllm:inter_token_latency_seconds_count{engine=\"0\",model_name=\"m1\"} 3\n",
        // a model without tokens has its series, at 0, as vLLM's engines show them from start
        "vllm:inter_token_latency_seconds_count{engine=\"0\",model_name=\"m2\"} 0\n",
        "vllm:inter_token_latency_seconds_sum{engine=\"0\",model_name=\"m2\"} 0.0\n");
    Matcher sum = Pattern.compile("(?m)^vllm:inter_token_latency_seconds_sum"
        + "\\{engine=\"0\",model_name=\"m1\"\\} (\\S+)$").matcher(text);
    assertThat(sum.find()).isTrue();
    assertThat(Double.parseDouble(sum.group(1))).isCloseTo(0.145, within(1e-9));
  }

  @Test
  void kvUseIsCappedAtOne() throws Exception {
    Engine engine = new Engine(List.of("m"), 2, 0, 10);
    engine.admit("m", 8);
    engine.admit("m", 8);

    assertThat(engine.snapshot().kvCacheUsage()).isEqualTo(1.0);
  }

  @Test
  void escapesQuotesInModelNames() {
    Engine engine = new Engine(List.of("a\"b\\c"), 1, 0, 10);
    assertThat(MetricsHandler.render(engine.snapshot()))
        .contains("model_name=\"a\\\"b\\\\c\"");
  }

  private static String fixture() throws IOException {
    try (InputStream in = MetricsHandlerTest.class.getResourceAsStream(
        "/fixtures/vllm-metrics.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The fixture with vLLM's inter-token latency histogram, which the recording lacks: these
   * lines are in the names, labels and bucket bounds of vLLM's PrometheusStatLogger
   * (vllm/v1/metrics/loggers.py), laid out as the fixture lays out its time-to-first-token
   * histogram (the bounds between 0.025 and 80 left out).
   */
  private static String fixtureWithInterTokenLatency() throws IOException {
    String series = "vllm:inter_token_latency_seconds";
    String model = "model_name=\"meta-llama/Llama-3.1-8B-Instruct\"";
    return fixture()
        + "# HELP " + series + " Histogram of inter-token latency in seconds.\n"
        + "# TYPE " + series + " histogram\n"
        + series + "_bucket{engine=\"0\",le=\"0.01\"," + model + "} 0.0\n"
        + series + "_bucket{engine=\"0\",le=\"0.025\"," + model + "} 350412.0\n"
        + series + "_bucket{engine=\"0\",le=\"80.0\"," + model + "} 385170.0\n"
        + series + "_bucket{engine=\"0\",le=\"+Inf\"," + model + "} 385170.0\n"
        + series + "_count{engine=\"0\"," + model + "} 385170.0\n"
        + series + "_sum{engine=\"0\"," + model + "} 7702.5\n";
  }

  private static Map<String, String> types(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      }
    }
    return types;
  }

  private static Map<String, List<String>> labelKeys(String text) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        keys.putIfAbsent(m.group(1), keys(m.group(2)));
      }
    }
    return keys;
  }

  private static List<String> keys(String labels) {
    return LABEL.matcher(labels).results().map(r -> r.group(1)).toList();
  }
}
