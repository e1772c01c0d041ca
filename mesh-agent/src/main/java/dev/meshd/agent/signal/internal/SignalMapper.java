package dev.meshd.agent.signal.internal;

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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Maps load signals (runtimes' and GPUs') between the domain records and {@code
 * meshd.v1.SignalBatch}. Ages travel as microseconds measured on the sender's clock; the receiver
 * never reads the sender's wall-clock time. Stateless.
 */
public final class SignalMapper {

  private SignalMapper() {}

  /** One batch of runtime {@code signals} only, each aged at {@code now} by the sender's clock. */
  public static SignalBatch toBatch(String nodeId, long sequence, List<RuntimeSignal> signals,
      Instant now, boolean heartbeat) {
    return toBatch(nodeId, sequence, signals, List.of(), now, heartbeat);
  }

  /**
   * One batch of runtime {@code signals} and {@code gpus} readings, each aged at {@code now} by
   * the sender's clock.
   */
  public static SignalBatch toBatch(String nodeId, long sequence, List<RuntimeSignal> signals,
      List<GpuSignal> gpus, Instant now, boolean heartbeat) {
    SignalBatch.Builder batch = SignalBatch.newBuilder()
        .setNodeId(nodeId)
        .setSequence(sequence)
        .setHeartbeat(heartbeat);
    for (RuntimeSignal signal : signals) {
      batch.addRuntimes(toProto(signal, ageMicros(signal.observedAt(), now)));
    }
    for (GpuSignal gpu : gpus) {
      batch.addGpus(toProto(gpu, ageMicros(gpu.observedAt(), now)));
    }
    return batch.build();
  }

  /** How long before {@code now} {@code observedAt} was, in microseconds, never negative. */
  public static long ageMicros(Instant observedAt, Instant now) {
    long micros = Duration.between(observedAt, now).toNanos() / 1_000;
    return Math.max(0, micros);
  }

  static RuntimeLoad toProto(RuntimeSignal signal, long ageMicros) {
    RuntimeLoad.Builder out = RuntimeLoad.newBuilder()
        .setKind(switch (signal.kind()) {
          case VLLM -> dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_VLLM;
          case SGLANG -> dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_SGLANG;
          case TGI -> dev.meshd.proto.v1.RuntimeKind.RUNTIME_KIND_TGI;
        })
        .setEndpoint(signal.endpoint())
        .setHealthy(signal.healthy())
        .setReason(signal.reason().orElse(""))
        .setAgeMicros(ageMicros);
    for (ModelLoad load : signal.models()) {
      RuntimeModelLoad.Builder model = RuntimeModelLoad.newBuilder()
          .setModel(load.model())
          .setQueueDepth(load.queueDepth())
          .setRunningRequests(load.runningRequests());
      load.kvCacheUsage().ifPresent(model::setKvCacheUsage);
      load.decodeTokensPerSecond().ifPresent(model::setDecodeTokensPerSecond);
      out.addModels(model);
    }
    return out.build();
  }

  static GpuLoad toProto(GpuSignal gpu, long ageMicros) {
    return GpuLoad.newBuilder()
        .setIndex(gpu.index())
        .setUuid(gpu.uuid())
        .setVramUsedBytes(gpu.vramUsedBytes())
        .setVramTotalBytes(gpu.vramTotalBytes())
        .setUtilization(gpu.utilization())
        .setHealthy(gpu.healthy())
        .setAgeMicros(ageMicros)
        .setRefreshIntervalMicros(gpu.refreshInterval().toNanos() / 1_000)
        .build();
  }

  /**
   * The domain reading of one received GPU entry; {@code observedAt} is an estimate on the
   * receiver's clock, {@code receivedAt} minus the reported age.
   *
   * @throws IllegalArgumentException when the entry breaks a rule of the domain record (a
   *     negative byte count or interval, a utilization outside 0..1)
   */
  public static GpuSignal fromProto(GpuLoad gpu, Instant receivedAt) {
    if (gpu.getIndex() < 0) {
      // uint32 on the wire: Java sees an index above 2^31 as negative.
      throw new IllegalArgumentException("index: " + Integer.toUnsignedString(gpu.getIndex())
          + " (expected: 0.." + Integer.MAX_VALUE + ")");
    }
    return new GpuSignal(gpu.getIndex(), gpu.getUuid(), gpu.getVramUsedBytes(),
        gpu.getVramTotalBytes(), gpu.getUtilization(), gpu.getHealthy(),
        Duration.of(gpu.getRefreshIntervalMicros(), ChronoUnit.MICROS),
        receivedAt.minus(Math.max(0, gpu.getAgeMicros()), ChronoUnit.MICROS));
  }

  /** True when {@code a} and {@code b} say the same about every GPU, reading times aside. */
  public static boolean sameGpuContent(List<GpuSignal> a, List<GpuSignal> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameContent(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The domain signal of one received runtime entry. On the receiver {@code observedAt} is an
   * estimate on the receiver's own clock: {@code receivedAt} minus the reported age.
   *
   * @throws IllegalArgumentException when the entry breaks a rule of the domain records (an
   *     unknown kind, a negative count, a KV-cache fraction outside 0..1, a decode rate that
   *     is not finite and positive)
   */
  public static RuntimeSignal fromProto(RuntimeLoad load, Instant receivedAt) {
    RuntimeKind kind = switch (load.getKind()) {
      case RUNTIME_KIND_VLLM -> RuntimeKind.VLLM;
      case RUNTIME_KIND_SGLANG -> RuntimeKind.SGLANG;
      case RUNTIME_KIND_TGI -> RuntimeKind.TGI;
      default -> throw new IllegalArgumentException("kind: " + load.getKind()
          + " (expected: vllm, sglang or tgi)");
    };
    Instant observedAt = receivedAt.minusNanos(Math.max(0, load.getAgeMicros()) * 1_000);
    if (!load.getHealthy()) {
      String reason = load.getReason().isBlank() ? "unhealthy" : load.getReason();
      return new RuntimeSignal(kind, load.getEndpoint(), false, Optional.of(reason), List.of(),
          observedAt);
    }
    List<ModelLoad> models = load.getModelsList().stream()
        .map(m -> new ModelLoad(m.getModel(), m.getQueueDepth(), m.getRunningRequests(),
            m.hasKvCacheUsage() ? OptionalDouble.of(m.getKvCacheUsage())
                : OptionalDouble.empty(),
            m.hasDecodeTokensPerSecond() ? OptionalDouble.of(m.getDecodeTokensPerSecond())
                : OptionalDouble.empty()))
        .toList();
    return RuntimeSignal.healthy(kind, load.getEndpoint(), models, observedAt);
  }

  /** True when {@code a} and {@code b} say the same about every runtime, observation times aside. */
  public static boolean sameContent(List<RuntimeSignal> a, List<RuntimeSignal> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      RuntimeSignal x = a.get(i);
      RuntimeSignal y = b.get(i);
      if (x.kind() != y.kind() || x.healthy() != y.healthy()
          || !x.endpoint().equals(y.endpoint()) || !x.reason().equals(y.reason())
          || !x.models().equals(y.models())) {
        return false;
      }
    }
    return true;
  }
}
