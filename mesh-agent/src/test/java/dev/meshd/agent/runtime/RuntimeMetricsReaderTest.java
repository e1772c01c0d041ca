package dev.meshd.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.signal.ModelLoad;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Against the recorded {@code /metrics} of each runtime kind and against garbage. */
class RuntimeMetricsReaderTest {

  @Test
  void vllmCurrentNamesWithTheGeneratedTokenCounter() throws Exception {
    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, fixture("vllm-metrics.txt"), List.of()))
        .containsExactly(new ModelReading(new ModelLoad("meta-llama/Llama-3.1-8B-Instruct", 3,
            12, OptionalDouble.of(0.4375)), OptionalDouble.of(388_120)));
  }

  @Test
  void vllmLegacyKvCacheName() throws Exception {
    assertThat(loads(RuntimeKind.VLLM, fixture("vllm-metrics-legacy.txt"), List.of()))
        .containsExactly(new ModelLoad("mistralai/Mistral-7B-Instruct-v0.3", 0, 4,
            OptionalDouble.of(0.0912)));
  }

  @Test
  void sglang() throws Exception {
    assertThat(loads(RuntimeKind.SGLANG, fixture("sglang-metrics.txt"), List.of()))
        .containsExactly(new ModelLoad("Qwen/Qwen2.5-7B-Instruct", 17, 9,
            OptionalDouble.of(0.71)));
  }

  @Test
  void sglangsAndTgisTokenCountsAreNotReadTheyGrowOnlyWhenARequestFinishes() throws Exception {
    // Derived from the SGLang fixture: sglang:generation_tokens_total is real, but SGLang adds a
    // request's tokens when it finishes, so its growth over a scrape says nothing about decoding.
    String sglang = fixture("sglang-metrics.txt")
        + "# TYPE sglang:generation_tokens_total counter\n"
        + "sglang:generation_tokens_total{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 52011.0\n";
    String tgi = fixture("tgi-metrics.txt")
        + "# TYPE tgi_request_generated_tokens histogram\n"
        + "tgi_request_generated_tokens_sum 182233\n"
        + "tgi_request_generated_tokens_count 904\n";

    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, sglang, List.of()))
        .containsExactly(new ModelReading(new ModelLoad("Qwen/Qwen2.5-7B-Instruct", 17, 9,
            OptionalDouble.of(0.71)), OptionalDouble.empty(), OptionalDouble.empty()));
    assertThat(RuntimeMetricsReader.read(RuntimeKind.TGI, tgi, List.of("t")))
        .extracting(ModelReading::generationTokensTotal).containsExactly(OptionalDouble.empty());
  }

  @Test
  void sglangsDecodeCounterIsItsRealtimeTokensOfModeDecodeAndWinsOverItsThroughputGauge()
      throws Exception {
    // Derived from the SGLang fixture with the names and labels of SGLang's metrics collector:
    // realtime_tokens_total grows with the decode steps, one series per mode.
    String body = fixture("sglang-metrics.txt")
        + "# TYPE sglang:realtime_tokens_total counter\n"
        + "sglang:realtime_tokens_total{model_name=\"Qwen/Qwen2.5-7B-Instruct\","
        + "mode=\"prefill_compute\"} 90211.0\n"
        + "sglang:realtime_tokens_total{model_name=\"Qwen/Qwen2.5-7B-Instruct\","
        + "mode=\"prefill_cache\"} 4410.0\n"
        + "sglang:realtime_tokens_total{model_name=\"Qwen/Qwen2.5-7B-Instruct\","
        + "mode=\"decode\"} 61873.0\n"
        + "# TYPE sglang:gen_throughput gauge\n"
        + "sglang:gen_throughput{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 355.1\n";

    ModelReading reading = RuntimeMetricsReader.read(RuntimeKind.SGLANG, body, List.of())
        .getFirst();

    assertThat(reading.generationTokensTotal()).hasValue(61_873);
    assertThat(reading.generationThroughput()).isEmpty();
  }

  @Test
  void olderSglangsThroughputGaugeIsSummedOverRanksAndZeroWhenOneIsNotDecoding()
      throws Exception {
    String oneRank = fixture("sglang-metrics.txt")
        + "# TYPE sglang:gen_throughput gauge\n"
        + "sglang:gen_throughput{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 355.1\n";
    String twoRanks = """
        sglang:num_queue_reqs{dp_rank="0",model_name="m"} 1
        sglang:num_queue_reqs{dp_rank="1",model_name="m"} 2
        sglang:num_running_reqs{dp_rank="0",model_name="m"} 8
        sglang:num_running_reqs{dp_rank="1",model_name="m"} 4
        sglang:gen_throughput{dp_rank="0",model_name="m"} 300
        sglang:gen_throughput{dp_rank="1",model_name="m"} 100
        """;
    String oneRankJustPrefilled = twoRanks.replace(
        "sglang:gen_throughput{dp_rank=\"1\",model_name=\"m\"} 100",
        "sglang:gen_throughput{dp_rank=\"1\",model_name=\"m\"} 0");

    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, oneRank, List.of()).getFirst()
        .generationThroughput()).hasValue(355.1);
    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, twoRanks, List.of()).getFirst())
        .isEqualTo(new ModelReading(new ModelLoad("m", 3, 12, OptionalDouble.empty()),
            OptionalDouble.empty(), OptionalDouble.of(400)));
    assertThat(oneRankJustPrefilled).isNotEqualTo(twoRanks);
    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, oneRankJustPrefilled, List.of())
        .getFirst().generationThroughput()).hasValue(0);
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.SGLANG,
        twoRanks + "sglang:gen_throughput{dp_rank=\"2\",model_name=\"m\"} -1\n", List.of()))
        .hasMessage("sglang:gen_throughput is -1.0 (expected: a count >= 0)");
  }

  @Test
  void vllmsInterTokenLatencyHistogramIsReadInsteadOfItsCounter() throws Exception {
    // The recorded vLLM body has no inter-token histogram: these lines are in the names and
    // labels of vLLM's PrometheusStatLogger (vllm/v1/metrics/loggers.py), laid out as the
    // fixture lays out its time_to_first_token histogram.
    String body = fixture("vllm-metrics.txt")
        + "# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.\n"
        + "# TYPE vllm:inter_token_latency_seconds histogram\n"
        + vllmHistogram("vllm:inter_token_latency_seconds", "0",
            "meta-llama/Llama-3.1-8B-Instruct", 7_702.5, 385_170);

    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, body, List.of()))
        .containsExactly(new ModelReading(new ModelLoad("meta-llama/Llama-3.1-8B-Instruct", 3,
            12, OptionalDouble.of(0.4375)), new InterTokenLatency(7_702.5, 385_170)));
  }

  @Test
  void vllmsInterTokenLatencyWinsOverItsOlderNameTimePerOutputToken() throws Exception {
    // vLLM 0.11 exports both names with the same observations; 0.12 hides the old one, and
    // versions before 0.11 have only the old one.
    String older = fixture("vllm-metrics.txt") + vllmHistogram(
        "vllm:time_per_output_token_seconds", "0", "meta-llama/Llama-3.1-8B-Instruct", 90, 4_500);
    String both = older + vllmHistogram("vllm:inter_token_latency_seconds", "0",
        "meta-llama/Llama-3.1-8B-Instruct", 100, 5_000);

    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, both, List.of()).getFirst()
        .interTokenLatency()).hasValue(new InterTokenLatency(100, 5_000));
    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, older, List.of()).getFirst()
        .interTokenLatency()).hasValue(new InterTokenLatency(90, 4_500));
  }

  @Test
  void vllmsHistogramIsSummedOverEnginesAndKeptApartPerModel() throws Exception {
    String body = """
        vllm:num_requests_waiting{engine="0",model_name="m"} 0
        vllm:num_requests_waiting{engine="1",model_name="m"} 0
        vllm:num_requests_waiting{engine="0",model_name="other"} 0
        vllm:generation_tokens_total{engine="0",model_name="m"} 1000
        vllm:generation_tokens_total{engine="0",model_name="other"} 90
        """
        + vllmHistogram("vllm:inter_token_latency_seconds", "0", "m", 20, 1_000)
        + vllmHistogram("vllm:inter_token_latency_seconds", "1", "m", 5, 250)
        + vllmHistogram("vllm:inter_token_latency_seconds", "0", "other", 3, 40);

    List<ModelReading> readings = RuntimeMetricsReader.read(RuntimeKind.VLLM, body, List.of());

    assertThat(readings).extracting(ModelReading::model).containsExactly("m", "other");
    assertThat(readings.getFirst().interTokenLatency())
        .hasValue(new InterTokenLatency(25, 1_250));
    assertThat(readings.get(1).interTokenLatency()).hasValue(new InterTokenLatency(3, 40));
    assertThat(readings).allSatisfy(r -> assertThat(r.generationTokensTotal()).isEmpty());
  }

  @Test
  void halfAHistogramIsNoFigureAndTheCounterIsReadInstead() throws Exception {
    String sumOnly = fixture("vllm-metrics.txt") + "vllm:inter_token_latency_seconds_sum"
        + "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 7702.5\n";
    String countOnly = sumOnly.replace("vllm:inter_token_latency_seconds_sum",
        "vllm:inter_token_latency_seconds_count");

    for (String body : List.of(sumOnly, countOnly)) {
      ModelReading reading = RuntimeMetricsReader.read(RuntimeKind.VLLM, body, List.of())
          .getFirst();
      assertThat(reading.interTokenLatency()).isEmpty();
      assertThat(reading.generationTokensTotal()).hasValue(388_120);
    }
  }

  @Test
  void sglangsInterTokenLatencyHistogramWinsOverItsDecodeCounterAndThroughput()
      throws Exception {
    // Names and labels of SGLang's TokenizerMetricsCollector
    // (python/sglang/srt/metrics/collector.py): one series per model_name.
    String throughput = fixture("sglang-metrics.txt")
        + "sglang:gen_throughput{" + SGLANG_MODEL + "} 355.1\n";
    String counter = throughput
        + "sglang:realtime_tokens_total{" + SGLANG_MODEL + ",mode=\"decode\"} 61873.0\n";
    String histogram = counter
        + "# TYPE sglang:inter_token_latency_seconds histogram\n"
        + "sglang:inter_token_latency_seconds_sum{" + SGLANG_MODEL + "} 1450.25\n"
        + "sglang:inter_token_latency_seconds_bucket{le=\"0.04\"," + SGLANG_MODEL + "} 60912.0\n"
        + "sglang:inter_token_latency_seconds_bucket{le=\"+Inf\"," + SGLANG_MODEL + "} 61010.0\n"
        + "sglang:inter_token_latency_seconds_count{" + SGLANG_MODEL + "} 61010.0\n";
    // Older SGLang's time_per_output_token histogram is no decode figure (see the reader): a
    // body with it and the throughput gauge is measured from the gauge.
    String olderHistogram = throughput
        + "sglang:time_per_output_token_seconds_sum{" + SGLANG_MODEL + "} 20.5\n"
        + "sglang:time_per_output_token_seconds_count{" + SGLANG_MODEL + "} 900.0\n";
    ModelLoad load = new ModelLoad("Qwen/Qwen2.5-7B-Instruct", 17, 9, OptionalDouble.of(0.71));

    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, histogram, List.of()))
        .containsExactly(new ModelReading(load, new InterTokenLatency(1450.25, 61_010)));
    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, olderHistogram, List.of()))
        .containsExactly(new ModelReading(load, OptionalDouble.empty(),
            OptionalDouble.of(355.1)));
  }

  private static final String SGLANG_MODEL = "model_name=\"Qwen/Qwen2.5-7B-Instruct\"";

  @Test
  void tgiNamesItsSingleModelFromWhatTheRuntimeServes() throws Exception {
    assertThat(loads(RuntimeKind.TGI, fixture("tgi-metrics.txt"),
        List.of("bigcode/starcoder2-15b")))
        .containsExactly(new ModelLoad("bigcode/starcoder2-15b", 6, 14, OptionalDouble.empty()));
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.TGI,
        fixture("tgi-metrics.txt"), List.of()))
        .hasMessageContaining("TGI metrics name no model");
  }

  @Test
  void dataParallelEnginesAreSummedAndTheirKvCacheAveraged() throws Exception {
    String body = """
        vllm:num_requests_waiting{engine="0",model_name="m"} 3.0
        vllm:num_requests_waiting{engine="1",model_name="m"} 5.0
        vllm:num_requests_running{engine="0",model_name="m"} 10
        vllm:num_requests_running{engine="1",model_name="m"} 6
        vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.2
        vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.6
        vllm:generation_tokens_total{engine="0",model_name="m"} 1000
        vllm:generation_tokens_total{engine="1",model_name="m"} 250.0
        vllm:num_requests_waiting{engine="0",model_name="other"} 1
        """;
    List<ModelReading> readings = RuntimeMetricsReader.read(RuntimeKind.VLLM, body, List.of());
    List<ModelLoad> loads = readings.stream().map(ModelReading::load).toList();

    assertThat(loads).hasSize(2);
    assertThat(loads.getFirst().queueDepth()).isEqualTo(8);
    assertThat(loads.getFirst().runningRequests()).isEqualTo(16);
    assertThat(loads.getFirst().kvCacheUsage().getAsDouble()).isCloseTo(0.4,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(loads.get(1)).isEqualTo(new ModelLoad("other", 1, 0, OptionalDouble.empty()));
    assertThat(readings.getFirst().generationTokensTotal()).hasValue(1250);
    assertThat(readings.get(1).generationTokensTotal()).isEmpty();
  }

  @Test
  void theWrongKindIsNamedInTheReason() throws Exception {
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.SGLANG,
        fixture("vllm-metrics.txt"), List.of()))
        .isInstanceOf(RuntimeMetricsException.class)
        .hasMessage("/metrics has no sglang:num_queue_reqs (is this a sglang runtime?)");
  }

  @Test
  void garbageAndImpossibleValuesAreReasonsNotCrashes() {
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "<html>502 Bad Gateway</html>", List.of()))
        .isInstanceOf(RuntimeMetricsException.class)
        .hasMessageStartingWith("/metrics is not the Prometheus text format: line 1:");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "vllm:num_requests_waiting{model_name=\"m\"} -2", List.of()))
        .hasMessage("vllm:num_requests_waiting is -2.0 (expected: a count >= 0)");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "vllm:num_requests_waiting{model_name=\"m\"} 1\n"
            + "vllm:kv_cache_usage_perc{model_name=\"m\"} NaN", List.of()))
        .hasMessage("vllm:kv_cache_usage_perc is NaN (expected: 0..1)");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "vllm:num_requests_waiting{model_name=\"m\"} 1\n"
            + "vllm:generation_tokens_total{model_name=\"m\"} +Inf", List.of()))
        .hasMessage("vllm:generation_tokens_total is Infinity (expected: a count >= 0)");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "vllm:num_requests_waiting{model_name=\"m\"} 1\n"
            + "vllm:inter_token_latency_seconds_count{model_name=\"m\"} 10\n"
            + "vllm:inter_token_latency_seconds_sum{model_name=\"m\"} NaN", List.of()))
        .hasMessage("vllm:inter_token_latency_seconds_sum is NaN (expected: a count >= 0)");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM,
        "vllm:num_requests_waiting 1", List.of()))
        .hasMessage("vllm:num_requests_waiting has no model_name label");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM, "", List.of()))
        .hasMessageContaining("has no vllm:num_requests_waiting");
  }

  /**
   * One engine's sample lines of a vLLM latency histogram, as vLLM writes them: buckets (two of
   * its bounds and +Inf, which holds every observation), then {@code _count} and {@code _sum}.
   */
  private static String vllmHistogram(String name, String engine, String model, double sum,
      double count) {
    String engineLabel = "engine=\"" + engine + "\",";
    String modelLabel = "model_name=\"" + model + "\"";
    return name + "_bucket{" + engineLabel + "le=\"0.01\"," + modelLabel + "} 0.0\n"
        + name + "_bucket{" + engineLabel + "le=\"0.025\"," + modelLabel + "} "
        + Math.floor(count / 2) + "\n"
        + name + "_bucket{" + engineLabel + "le=\"+Inf\"," + modelLabel + "} " + count + "\n"
        + name + "_count{" + engineLabel + modelLabel + "} " + count + "\n"
        + name + "_sum{" + engineLabel + modelLabel + "} " + sum + "\n";
  }

  private static List<ModelLoad> loads(RuntimeKind kind, String body, List<String> served)
      throws RuntimeMetricsException {
    return RuntimeMetricsReader.read(kind, body, served).stream().map(ModelReading::load)
        .toList();
  }

  private String fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/runtimes/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
