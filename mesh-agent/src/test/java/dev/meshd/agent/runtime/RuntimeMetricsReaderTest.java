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
  void vllmCurrentNames() throws Exception {
    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, fixture("vllm-metrics.txt"), List.of()))
        .containsExactly(new ModelLoad("meta-llama/Llama-3.1-8B-Instruct", 3, 12,
            OptionalDouble.of(0.4375)));
  }

  @Test
  void vllmLegacyKvCacheName() throws Exception {
    assertThat(RuntimeMetricsReader.read(RuntimeKind.VLLM, fixture("vllm-metrics-legacy.txt"),
        List.of()))
        .containsExactly(new ModelLoad("mistralai/Mistral-7B-Instruct-v0.3", 0, 4,
            OptionalDouble.of(0.0912)));
  }

  @Test
  void sglang() throws Exception {
    assertThat(RuntimeMetricsReader.read(RuntimeKind.SGLANG, fixture("sglang-metrics.txt"),
        List.of()))
        .containsExactly(new ModelLoad("Qwen/Qwen2.5-7B-Instruct", 17, 9,
            OptionalDouble.of(0.71)));
  }

  @Test
  void tgiNamesItsSingleModelFromWhatTheRuntimeServes() throws Exception {
    assertThat(RuntimeMetricsReader.read(RuntimeKind.TGI, fixture("tgi-metrics.txt"),
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
        vllm:num_requests_waiting{engine="0",model_name="other"} 1
        """;
    List<ModelLoad> loads = RuntimeMetricsReader.read(RuntimeKind.VLLM, body, List.of());

    assertThat(loads).hasSize(2);
    assertThat(loads.getFirst().queueDepth()).isEqualTo(8);
    assertThat(loads.getFirst().runningRequests()).isEqualTo(16);
    assertThat(loads.getFirst().kvCacheUsage().getAsDouble()).isCloseTo(0.4,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(loads.get(1)).isEqualTo(new ModelLoad("other", 1, 0, OptionalDouble.empty()));
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
        "vllm:num_requests_waiting 1", List.of()))
        .hasMessage("vllm:num_requests_waiting has no model_name label");
    assertThatThrownBy(() -> RuntimeMetricsReader.read(RuntimeKind.VLLM, "", List.of()))
        .hasMessageContaining("has no vllm:num_requests_waiting");
  }

  private String fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/runtimes/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
