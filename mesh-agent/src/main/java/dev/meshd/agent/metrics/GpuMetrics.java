package dev.meshd.agent.metrics;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code meshd_gpu_memory_used_bytes}, {@code meshd_gpu_memory_total_bytes} and {@code
 * meshd_gpu_utilization_ratio} per GPU, labelled {@code node}, {@code gpu}, {@code model}.
 *
 * <p>{@link #update} replaces the rows, so GPUs that disappear stop being exported. Called from
 * the inventory refresher's thread only.
 */
public final class GpuMetrics {

  private final MultiGauge used;
  private final MultiGauge total;
  private final MultiGauge utilization;

  public GpuMetrics(MeterRegistry registry) {
    this.used =
        MultiGauge.builder("meshd.gpu.memory.used")
            .baseUnit("bytes")
            .description("GPU memory in use")
            .register(registry);
    this.total =
        MultiGauge.builder("meshd.gpu.memory.total")
            .baseUnit("bytes")
            .description("GPU memory installed")
            .register(registry);
    this.utilization =
        MultiGauge.builder("meshd.gpu.utilization")
            .baseUnit("ratio")
            .description("GPU compute utilization, 0 to 1")
            .register(registry);
  }

  public void update(CapabilityRecord record) {
    register(used, record, g -> g.vramUsedBytes());
    register(total, record, g -> g.vramTotalBytes());
    register(utilization, record, GpuInfo::utilization);
  }

  private static void register(
      MultiGauge gauge, CapabilityRecord record, ToDoubleFunction<GpuInfo> value) {
    List<MultiGauge.Row<?>> rows =
        record.gpus().stream()
            .<MultiGauge.Row<?>>map(
                g ->
                    MultiGauge.Row.of(
                        Tags.of(
                            "node", record.nodeId(),
                            "gpu", Integer.toString(g.index()),
                            "model", g.model()),
                        value.applyAsDouble(g)))
            .toList();
    gauge.register(rows, true);
  }
}
