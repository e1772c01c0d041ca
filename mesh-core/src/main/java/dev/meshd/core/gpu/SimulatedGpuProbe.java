package dev.meshd.core.gpu;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.config.SimulatedGpuSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code gpus.source: simulated}: GPUs described by the config, for demos and tests on machines
 * without GPUs. Every GPU is marked {@link GpuSource#SIMULATED} so that operators never mistake
 * one for real hardware.
 *
 * <p>The specs are expanded in order into indexes 0..n-1. UUIDs are derived from the node id and
 * the index (name-based UUID), so they are stable across restarts and distinct across nodes, as
 * real ones are. Usage is always 0 and every GPU is healthy. Immutable and thread-safe.
 */
public final class SimulatedGpuProbe implements GpuProbe {

  private final List<GpuInfo> gpus;

  public SimulatedGpuProbe(List<SimulatedGpuSpec> specs, String nodeId) {
    Objects.requireNonNull(specs, "specs");
    Objects.requireNonNull(nodeId, "nodeId");
    List<GpuInfo> expanded = new ArrayList<>();
    for (SimulatedGpuSpec spec : specs) {
      for (int i = 0; i < spec.count(); i++) {
        int index = expanded.size();
        expanded.add(new GpuInfo(index, uuid(nodeId, index), spec.model(), spec.vramBytes(), 0,
            0.0, spec.migProfile(), true, GpuSource.SIMULATED));
      }
    }
    this.gpus = List.copyOf(expanded);
  }

  /** {@code GPU-} and a name-based UUID of {@code meshd-sim/<node>/<index>}. */
  static String uuid(String nodeId, int index) {
    byte[] name = ("meshd-sim/" + nodeId + "/" + index).getBytes(StandardCharsets.UTF_8);
    return "GPU-" + UUID.nameUUIDFromBytes(name);
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public GpuDiscovery discover() {
    return GpuDiscovery.found(gpus, "simulated: " + gpus.size() + " GPU(s) from the config");
  }
}
