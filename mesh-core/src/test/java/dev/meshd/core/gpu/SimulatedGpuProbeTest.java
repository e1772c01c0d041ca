package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.config.SimulatedGpuSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedGpuProbeTest {

  private static final List<SimulatedGpuSpec> SPECS = List.of(
      new SimulatedGpuSpec("H100-80GB", 2, 80, ""),
      new SimulatedGpuSpec("A100-40GB", 1, 40, "3g.20gb"));

  @Test
  void expandsSpecsIntoIndexedSimulatedGpus() {
    GpuDiscovery discovery = new SimulatedGpuProbe(SPECS, "node1").discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).extracting(GpuInfo::index).containsExactly(0, 1, 2);
    assertThat(discovery.gpus()).extracting(GpuInfo::model)
        .containsExactly("H100-80GB", "H100-80GB", "A100-40GB");
    assertThat(discovery.gpus().get(0).vramTotalBytes()).isEqualTo(80_000_000_000L);
    assertThat(discovery.gpus().get(2).migProfile()).isEqualTo("3g.20gb");
    assertThat(discovery.gpus()).allSatisfy(gpu -> {
      assertThat(gpu.source()).isEqualTo(GpuSource.SIMULATED);
      assertThat(gpu.vramUsedBytes()).isZero();
      assertThat(gpu.utilization()).isZero();
      assertThat(gpu.healthy()).isTrue();
      assertThat(gpu.uuid()).matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
          + "[0-9a-f]{12}");
    });
  }

  @Test
  void uuidsAreStablePerNodeAndDistinctAcrossNodesAndGpus() {
    List<String> node1 = uuids(new SimulatedGpuProbe(SPECS, "node1"));

    assertThat(node1).doesNotHaveDuplicates();
    assertThat(uuids(new SimulatedGpuProbe(SPECS, "node1"))).isEqualTo(node1);
    assertThat(uuids(new SimulatedGpuProbe(SPECS, "node2"))).doesNotContainAnyElementsOf(node1);
  }

  @Test
  void noSpecsMeansNoGpus() {
    GpuDiscovery discovery = new SimulatedGpuProbe(List.of(), "node1").discover();

    assertThat(discovery.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(discovery.gpus()).isEmpty();
  }

  private static List<String> uuids(GpuProbe probe) {
    return probe.discover().gpus().stream().map(GpuInfo::uuid).toList();
  }
}
