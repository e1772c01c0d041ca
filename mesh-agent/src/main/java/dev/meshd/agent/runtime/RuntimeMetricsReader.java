package dev.meshd.agent.runtime;

import dev.meshd.agent.runtime.internal.MetricSample;
import dev.meshd.agent.runtime.internal.MetricsFormatException;
import dev.meshd.agent.runtime.internal.PrometheusText;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.signal.ModelLoad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the load of each served model from one runtime's {@code /metrics} body, with the figure a
 * decode rate is measured from ({@link DecodeRates} keeps the previous values and measures): the
 * runtime's inter-token latency histogram where it exports one, else its generated-token counter,
 * else its throughput gauge; a reading carries one of them at most. Metric names per runtime kind:
 *
 * <ul>
 *   <li>vLLM: {@code vllm:num_requests_waiting}, {@code vllm:num_requests_running}, {@code
 *       vllm:kv_cache_usage_perc} (before v0.10: {@code vllm:gpu_cache_usage_perc}), labelled by
 *       {@code model_name} and, with data parallelism, {@code engine}; for the decode rate the
 *       histogram {@code vllm:inter_token_latency_seconds} (v0.11 on), else {@code
 *       vllm:time_per_output_token_seconds} (its name before; hidden from v0.12), both observed
 *       once per request per engine step that gave the request new tokens, with the time since
 *       its previous step's tokens (so once per token, unless a step gives several: speculative
 *       decoding), else the counter {@code vllm:generation_tokens_total} (grows with every engine
 *       step);
 *   <li>SGLang: {@code sglang:num_queue_reqs}, {@code sglang:num_running_reqs}, {@code
 *       sglang:token_usage}, labelled by {@code model_name}; for the decode rate the histogram
 *       {@code sglang:inter_token_latency_seconds}, which SGLang's tokenizer manager observes per
 *       token (each output of a request adds the time since its previous output to {@code _sum}
 *       and its new tokens to {@code _count}), else the counter {@code
 *       sglang:realtime_tokens_total{mode="decode"}} (recent versions: grows with the decode
 *       steps), else the gauge {@code sglang:gen_throughput} (tokens/s of the whole batch over
 *       SGLang's last decode-log interval, 0 after a prefill log or while idle). Not {@code
 *       sglang:time_per_output_token_seconds} (older versions): it was observed per request
 *       output as the request's mean time per token since its first, and for a request that does
 *       not stream as its end-to-end latency over its tokens, queue and prefill included. Not
 *       {@code sglang:generation_tokens_total}: it grows only when a request finishes, by all its
 *       tokens at once, so over a scrape interval it is not the decoding of the running
 *       requests;
 *   <li>TGI: {@code tgi_queue_size}, {@code tgi_batch_current_size}; no model label (a TGI server
 *       serves one model), no KV-cache figure, and no decode figure (its {@code
 *       tgi_request_generated_tokens} is a histogram observed when a request finishes).
 * </ul>
 *
 * <p>Counts, counters and histograms are summed over engines (and any other label but {@code
 * model_name}), KV-cache usage is their mean. Stateless.
 */
public final class RuntimeMetricsReader {

  /**
   * Where a kind's figures are. {@code interTokenLatency} lists the names of its inter-token
   * latency histograms, preferred first (empty: none); {@code generated} is null where the kind
   * exports no counter that grows while decoding; {@code generatedMode} the value its {@code
   * mode} label must have (null: no such label); {@code throughput} the gauge of generated tokens
   * per second over the batch, read when the counter is absent (null: none); {@code
   * generatedInLumps} whether the counter may stand still for a few scrapes while requests
   * decode.
   */
  private record Names(String queue, String running, List<String> kvCache,
      List<String> interTokenLatency, String generated, String generatedMode,
      boolean generatedInLumps, String throughput, boolean modelLabel) {}

  private static final Map<RuntimeKind, Names> NAMES = Map.of(
      RuntimeKind.VLLM, new Names("vllm:num_requests_waiting", "vllm:num_requests_running",
          List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"),
          List.of("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"),
          "vllm:generation_tokens_total", null, false, null, true),
      RuntimeKind.SGLANG, new Names("sglang:num_queue_reqs", "sglang:num_running_reqs",
          List.of("sglang:token_usage"), List.of("sglang:inter_token_latency_seconds"),
          "sglang:realtime_tokens_total", "decode", true, "sglang:gen_throughput", true),
      RuntimeKind.TGI, new Names("tgi_queue_size", "tgi_batch_current_size", List.of(),
          List.of(), null, null, false, null, false));

  private static final String SUM = "_sum";

  private static final String COUNT = "_count";

  private static final String MODE_LABEL = "mode";

  private static final String MODEL_LABEL = "model_name";

  private RuntimeMetricsReader() {}

  /**
   * The load of each model in {@code body}, with its inter-token latency histogram where the
   * runtime exports one for that model, else its generated-token counter where it exports one,
   * else its generation-throughput gauge where it exports that.
   *
   * @param servedModels the models this runtime serves (configured or from {@code /v1/models});
   *     used to name TGI's single model, which its metrics do not name
   * @throws RuntimeMetricsException when the body is not the text format, lacks the queue metric
   *     of this kind, or holds a value that cannot be a count or a fraction
   */
  public static List<ModelReading> read(RuntimeKind kind, String body, List<String> servedModels)
      throws RuntimeMetricsException {
    Names names = NAMES.get(kind);
    Set<String> wanted = wanted(names);
    List<MetricSample> samples;
    try {
      samples = PrometheusText.parse(body, wanted::contains);
    } catch (MetricsFormatException e) {
      throw new RuntimeMetricsException("/metrics is not the Prometheus text format: "
          + e.getMessage());
    }
    if (samples.stream().noneMatch(s -> s.name().equals(names.queue()))) {
      throw new RuntimeMetricsException("/metrics has no " + names.queue()
          + " (is this a " + kind.configName() + " runtime?)");
    }
    Map<String, Totals> byModel = new LinkedHashMap<>();
    String kvName = names.kvCache().stream()
        .filter(n -> samples.stream().anyMatch(s -> s.name().equals(n)))
        .findFirst().orElse(null);
    String latencyName = names.interTokenLatency().stream()
        .filter(n -> samples.stream().anyMatch(s -> s.name().equals(n + COUNT)))
        .findFirst().orElse(null);
    for (MetricSample sample : samples) {
      for (String model : models(names, sample, servedModels)) {
        Totals totals = byModel.computeIfAbsent(model, m -> new Totals());
        if (sample.name().equals(names.queue())) {
          totals.queue += count(sample);
        } else if (sample.name().equals(names.running())) {
          totals.running += count(sample);
        } else if (sample.name().equals(kvName)) {
          totals.kvSum += fraction(sample);
          totals.kvSamples++;
        } else if (latencyName != null && sample.name().equals(latencyName + SUM)) {
          totals.latencySum += count(sample);
          totals.latencySumSamples++;
        } else if (latencyName != null && sample.name().equals(latencyName + COUNT)) {
          totals.latencyCount += count(sample);
          totals.latencyCountSamples++;
        } else if (sample.name().equals(names.generated())) {
          if (names.generatedMode() == null
              || names.generatedMode().equals(sample.label(MODE_LABEL))) {
            totals.generated += count(sample);
            totals.generatedSamples++;
          }
        } else if (sample.name().equals(names.throughput())) {
          double tokensPerSecond = count(sample);
          totals.throughput += tokensPerSecond;
          totals.throughputSamples++;
          totals.throughputIdleSample |= tokensPerSecond == 0;
        }
      }
    }
    List<ModelReading> readings = new ArrayList<>();
    byModel.forEach((model, t) -> readings.add(reading(model, t)));
    return readings;
  }

  /** The reading of {@code model}: its load, and the first decode figure it has of three. */
  private static ModelReading reading(String model, Totals t) {
    ModelLoad load = new ModelLoad(model, t.queue, t.running,
        t.kvSamples == 0 ? OptionalDouble.empty() : OptionalDouble.of(t.kvSum / t.kvSamples));
    // A histogram is a figure only with both halves: a _sum without its _count (or the reverse)
    // cannot be divided.
    if (t.latencySumSamples > 0 && t.latencyCountSamples > 0) {
      return new ModelReading(load, new InterTokenLatency(t.latencySum, t.latencyCount));
    }
    if (t.generatedSamples > 0) {
      return new ModelReading(load, OptionalDouble.of(t.generated));
    }
    if (t.throughputSamples > 0) {
      // One engine not decoding at its last report makes the sum no batch's figure.
      return new ModelReading(load, OptionalDouble.empty(),
          OptionalDouble.of(t.throughputIdleSample ? 0 : t.throughput));
    }
    return new ModelReading(load, OptionalDouble.empty());
  }

  /**
   * Whether {@code kind}'s generated-token counter may stand still for a few scrapes while its
   * requests decode (SGLang before per-step counting adds once per decode-log interval), so that
   * a window without tokens is no sign of a stall.
   */
  static boolean counterGrowsInLumps(RuntimeKind kind) {
    return NAMES.get(kind).generatedInLumps();
  }

  private static Set<String> wanted(Names names) {
    List<String> all = new ArrayList<>(names.kvCache());
    all.add(names.queue());
    all.add(names.running());
    for (String histogram : names.interTokenLatency()) {
      all.add(histogram + SUM);
      all.add(histogram + COUNT);
    }
    if (names.generated() != null) {
      all.add(names.generated());
    }
    if (names.throughput() != null) {
      all.add(names.throughput());
    }
    return Set.copyOf(all);
  }

  private static List<String> models(Names names, MetricSample sample, List<String> served)
      throws RuntimeMetricsException {
    if (!names.modelLabel()) {
      if (served.isEmpty()) {
        throw new RuntimeMetricsException("TGI metrics name no model and none is known yet "
            + "(set runtimes[].models or let /v1/models answer)");
      }
      return served;
    }
    String model = sample.label(MODEL_LABEL);
    if (model == null || model.isBlank()) {
      throw new RuntimeMetricsException(sample.name() + " has no " + MODEL_LABEL + " label");
    }
    return List.of(model);
  }

  private static double count(MetricSample sample) throws RuntimeMetricsException {
    double v = sample.value();
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new RuntimeMetricsException(sample.name() + " is " + v + " (expected: a count >= 0)");
    }
    return v;
  }

  private static double fraction(MetricSample sample) throws RuntimeMetricsException {
    double v = sample.value();
    if (!(v >= 0 && v <= 1)) {
      throw new RuntimeMetricsException(sample.name() + " is " + v + " (expected: 0..1)");
    }
    return v;
  }

  /** Running sums for one model; used by one call only. */
  private static final class Totals {
    double queue;
    double running;
    double kvSum;
    int kvSamples;
    double latencySum;
    int latencySumSamples;
    double latencyCount;
    int latencyCountSamples;
    double generated;
    int generatedSamples;
    double throughput;
    int throughputSamples;
    boolean throughputIdleSample;
  }
}
