package dev.meshd.agent.signal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.proto.v1.RuntimeLoad;
import dev.meshd.proto.v1.RuntimeModelLoad;
import dev.meshd.proto.v1.SignalBatch;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SignalMapperTest {

  private static final Instant SENT = Instant.parse("2026-11-29T12:00:00Z");
  private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aSignalCrossesTheWireWithItsAgeNotItsWallClockTime() {
    RuntimeSignal vllm = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000",
        List.of(new ModelLoad("m", 3, 2, OptionalDouble.of(0.4))), SENT.minusMillis(250));
    RuntimeSignal tgi = RuntimeSignal.healthy(RuntimeKind.TGI, "http://127.0.0.1:8001",
        List.of(new ModelLoad("t", 1, 0, OptionalDouble.empty())), SENT.minusMillis(10));
    RuntimeSignal down = RuntimeSignal.unhealthy(RuntimeKind.SGLANG, "http://127.0.0.1:8002",
        "GET /metrics: HTTP 503", SENT);

    SignalBatch batch = SignalMapper.toBatch("g1", 7, List.of(vllm, tgi, down), SENT, false);

    assertThat(batch.getRuntimesList()).extracting(RuntimeLoad::getAgeMicros)
        .containsExactly(250_000L, 10_000L, 0L);
    assertThat(batch.getRuntimes(1).getModels(0).hasKvCacheUsage()).isFalse();
    // The receiver's clock may be years off: it places the observation on its own timeline.
    List<RuntimeSignal> back = batch.getRuntimesList().stream()
        .map(r -> SignalMapper.fromProto(r, RECEIVED)).toList();
    assertThat(back.get(0).observedAt()).isEqualTo(RECEIVED.minusMillis(250));
    assertThat(SignalMapper.sameContent(back, List.of(vllm, tgi, down))).isTrue();
    assertThat(back.get(2).reason()).contains("GET /metrics: HTTP 503");
  }

  @Test
  void sameContentIgnoresObservationTimesOnly() {
    RuntimeSignal a = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://h:1",
        List.of(new ModelLoad("m", 3, 2, OptionalDouble.empty())), SENT);
    RuntimeSignal later = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://h:1",
        List.of(new ModelLoad("m", 3, 2, OptionalDouble.empty())), SENT.plusSeconds(1));
    RuntimeSignal moved = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://h:1",
        List.of(new ModelLoad("m", 4, 2, OptionalDouble.empty())), SENT);

    assertThat(SignalMapper.sameContent(List.of(a), List.of(later))).isTrue();
    assertThat(SignalMapper.sameContent(List.of(a), List.of(moved))).isFalse();
    assertThat(SignalMapper.sameContent(List.of(a), List.of())).isFalse();
  }

  @Test
  void anEntryThatBreaksTheDomainRulesIsRefused() {
    RuntimeLoad negative = RuntimeLoad.newBuilder()
        .setKind(dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_VLLM)
        .setHealthy(true)
        .addModels(RuntimeModelLoad.newBuilder().setModel("m").setQueueDepth(-1))
        .build();
    RuntimeLoad unknownKind = RuntimeLoad.newBuilder().setHealthy(true).build();

    assertThatThrownBy(() -> SignalMapper.fromProto(negative, RECEIVED))
        .hasMessageContaining("queueDepth");
    assertThatThrownBy(() -> SignalMapper.fromProto(unknownKind, RECEIVED))
        .hasMessageContaining("kind");
  }
}
