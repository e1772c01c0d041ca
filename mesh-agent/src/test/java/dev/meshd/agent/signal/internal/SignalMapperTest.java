package dev.meshd.agent.signal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.signal.GpuSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.proto.v1.GpuLoad;
import dev.meshd.proto.v1.RuntimeLoad;
import dev.meshd.proto.v1.RuntimeModelLoad;
import dev.meshd.proto.v1.SignalBatch;
import java.time.Duration;
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
  void aMeasuredDecodeRateCrossesBothWaysAndAnUnmeasuredOneStaysAbsent() {
    RuntimeSignal signal = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000",
        List.of(new ModelLoad("fast", 0, 4, OptionalDouble.of(0.3), OptionalDouble.of(61.25)),
            new ModelLoad("new", 1, 0, OptionalDouble.of(0.1))), SENT);

    RuntimeLoad wire = SignalMapper.toBatch("g1", 1, List.of(signal), SENT, false)
        .getRuntimes(0);

    assertThat(wire.getModels(0).hasDecodeTokensPerSecond()).isTrue();
    assertThat(wire.getModels(0).getDecodeTokensPerSecond()).isEqualTo(61.25);
    assertThat(wire.getModels(1).hasDecodeTokensPerSecond()).isFalse();
    RuntimeSignal back = SignalMapper.fromProto(wire, RECEIVED);
    assertThat(back.load("fast").orElseThrow().decodeTokensPerSecond()).hasValue(61.25);
    assertThat(back.load("new").orElseThrow().decodeTokensPerSecond()).isEmpty();
    assertThat(SignalMapper.sameContent(List.of(back), List.of(signal))).isTrue();
    // A new measurement is a change worth a batch, like a queue that moved.
    RuntimeSignal slower = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000",
        List.of(new ModelLoad("fast", 0, 4, OptionalDouble.of(0.3), OptionalDouble.of(30)),
            new ModelLoad("new", 1, 0, OptionalDouble.of(0.1))), SENT);
    assertThat(SignalMapper.sameContent(List.of(slower), List.of(signal))).isFalse();
  }

  @Test
  void anEntryThatBreaksTheDomainRulesIsRefused() {
    RuntimeLoad negative = RuntimeLoad.newBuilder()
        .setKind(dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_VLLM)
        .setHealthy(true)
        .addModels(RuntimeModelLoad.newBuilder().setModel("m").setQueueDepth(-1))
        .build();
    RuntimeLoad unknownKind = RuntimeLoad.newBuilder().setHealthy(true).build();
    RuntimeLoad zeroRate = RuntimeLoad.newBuilder()
        .setKind(dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_VLLM)
        .setHealthy(true)
        .addModels(RuntimeModelLoad.newBuilder().setModel("m").setDecodeTokensPerSecond(0))
        .build();

    assertThatThrownBy(() -> SignalMapper.fromProto(negative, RECEIVED))
        .hasMessageContaining("queueDepth");
    assertThatThrownBy(() -> SignalMapper.fromProto(unknownKind, RECEIVED))
        .hasMessageContaining("kind");
    // Present means measured: a sender that sets 0 breaks the contract, it is not "idle".
    assertThatThrownBy(() -> SignalMapper.fromProto(zeroRate, RECEIVED))
        .hasMessageContaining("decodeTokensPerSecond");
  }

  @Test
  void aGpuReadingCrossesTheWireWithItsAgeAndReadIntervalNotItsWallClockTime() {
    GpuSignal reading = new GpuSignal(3, "GPU-3", 30_000_000_000L, 80_000_000_000L, 0.75, true,
        Duration.ofSeconds(5), SENT.minusMillis(1_500));
    RuntimeSignal runtime = RuntimeSignal.healthy(RuntimeKind.VLLM, "http://127.0.0.1:8000",
        List.of(), SENT);

    SignalBatch batch = SignalMapper.toBatch("g1", 1, List.of(runtime), List.of(reading), SENT,
        false);

    GpuLoad wire = batch.getGpus(0);
    assertThat(wire.getIndex()).isEqualTo(3);
    assertThat(wire.getUuid()).isEqualTo("GPU-3");
    assertThat(wire.getVramUsedBytes()).isEqualTo(30_000_000_000L);
    assertThat(wire.getVramTotalBytes()).isEqualTo(80_000_000_000L);
    assertThat(wire.getUtilization()).isEqualTo(0.75);
    assertThat(wire.getHealthy()).isTrue();
    assertThat(wire.getAgeMicros()).isEqualTo(1_500_000);
    assertThat(wire.getRefreshIntervalMicros()).isEqualTo(5_000_000);
    GpuSignal back = SignalMapper.fromProto(wire, RECEIVED);
    assertThat(back.observedAt()).isEqualTo(RECEIVED.minusMillis(1_500));
    assertThat(back.sameContent(reading)).isTrue();
    assertThat(back).isEqualTo(new GpuSignal(3, "GPU-3", 30_000_000_000L, 80_000_000_000L, 0.75,
        true, Duration.ofSeconds(5), RECEIVED.minusMillis(1_500)));
    // A batch without GPUs (a node without any, or a runtime-only sender) has none.
    assertThat(SignalMapper.toBatch("g1", 1, List.of(runtime), SENT, false).getGpusCount())
        .isZero();
  }

  @Test
  void sameGpuContentIgnoresReadingTimesOnly() {
    GpuSignal a = new GpuSignal(0, "GPU-0", 1, 2, 0.5, true, Duration.ofSeconds(5), SENT);
    GpuSignal later = new GpuSignal(0, "GPU-0", 1, 2, 0.5, true, Duration.ofSeconds(5),
        SENT.plusSeconds(5));
    GpuSignal busier = new GpuSignal(0, "GPU-0", 1, 2, 0.51, true, Duration.ofSeconds(5), SENT);
    GpuSignal fuller = new GpuSignal(0, "GPU-0", 2, 2, 0.5, true, Duration.ofSeconds(5), SENT);

    assertThat(SignalMapper.sameGpuContent(List.of(a), List.of(later))).isTrue();
    assertThat(SignalMapper.sameGpuContent(List.of(a), List.of(busier))).isFalse();
    assertThat(SignalMapper.sameGpuContent(List.of(a), List.of(fuller))).isFalse();
    assertThat(SignalMapper.sameGpuContent(List.of(a), List.of())).isFalse();
  }

  @Test
  void aGpuEntryThatBreaksTheDomainRulesIsRefused() {
    GpuLoad overfull = GpuLoad.newBuilder().setUuid("GPU-0").setUtilization(1.5).build();
    GpuLoad negative = GpuLoad.newBuilder().setUuid("GPU-0").setVramUsedBytes(-1).build();
    GpuLoad hugeIndex = GpuLoad.newBuilder().setUuid("GPU-0").setIndex(-1).build();

    assertThatThrownBy(() -> SignalMapper.fromProto(overfull, RECEIVED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("utilization");
    assertThatThrownBy(() -> SignalMapper.fromProto(negative, RECEIVED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vram");
    assertThatThrownBy(() -> SignalMapper.fromProto(hugeIndex, RECEIVED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index: 4294967295");
  }
}
