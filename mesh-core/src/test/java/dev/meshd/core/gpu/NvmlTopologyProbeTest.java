package dev.meshd.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.NvLinkLane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real FFM topology code against the fake {@code libnvidia-ml.so} built with {@code
 * FAKE_TOPOLOGY}: four GPUs, two NVLink pairs, PCIe paths between the pairs (see the variants in
 * {@code fake-nvml/fake_nvml.c}).
 */
class NvmlTopologyProbeTest {

  private static final long SPEED_A = 25_781_000_000L; // 25781 MB/s, as NVML reports it
  private static final long SPEED_B = 50_000_000_000L;

  @TempDir static Path libs;

  private static GpuTopology discover(Path lib) {
    return new NvmlTopologyProbe(lib.toString(), Duration.ofSeconds(10)).discover();
  }

  private static List<NvLinkLane> lanes(int gpu, int active, int inactive, long speed) {
    List<NvLinkLane> lanes = new ArrayList<>();
    for (int link = 0; link < active + inactive; link++) {
      lanes.add(link < active
          ? new NvLinkLane(gpu, link, true, speed)
          : new NvLinkLane(gpu, link, false, 0));
    }
    return lanes;
  }

  @Test
  void fourGpusWithTwoNvlinkPairsAndPciePathsBetweenThem() throws Throwable {
    Path lib = FakeNvml.compile(libs, "libfake-nvml-topo.so", "FAKE_TOPOLOGY");

    GpuTopology topology = discover(lib);

    FabricInventory inventory = topology.inventory();
    assertThat(topology.status()).as(inventory.reasons().toString())
        .isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(inventory.gpuPeerLinks()).containsExactly(
        new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 2),
        new GpuPeerLink(0, 2, GpuLinkKind.PXB, 0),
        new GpuPeerLink(0, 3, GpuLinkKind.SYS, 0),
        new GpuPeerLink(1, 2, GpuLinkKind.SYS, 0),
        new GpuPeerLink(1, 3, GpuLinkKind.PHB, 0),
        new GpuPeerLink(2, 3, GpuLinkKind.NVLINK, 4));
    List<NvLinkLane> expectedLanes = new ArrayList<>();
    expectedLanes.addAll(lanes(0, 2, 2, SPEED_A));
    expectedLanes.addAll(lanes(1, 2, 2, SPEED_A));
    expectedLanes.addAll(lanes(2, 4, 2, SPEED_B));
    expectedLanes.addAll(lanes(3, 4, 2, SPEED_B));
    assertThat(inventory.nvlinkLanes()).containsExactlyElementsOf(expectedLanes);
    // Across the sockets there is no peer access: the NVLink/PCIe probe cannot run there.
    assertThat(inventory.reasons()).containsExactly(
        "nvml: GPU0-GPU3: no peer access (P2P read: IOH topology not supported)",
        "nvml: GPU1-GPU2: no peer access (P2P read: IOH topology not supported)");
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.NVLINK);
    assertThat(FakeNvml.counter(lib, "fake_nvml_active")).isZero();
  }

  @Test
  void gpusOnAnNvswitchAreJoinedPairwiseWithTheLinksEachHas() throws Throwable {
    Path lib = FakeNvml.compile(libs, "libfake-nvml-nvswitch.so", "FAKE_TOPOLOGY",
        "FAKE_NVSWITCH");

    FabricInventory inventory = discover(lib).inventory();

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.gpuPeerLinks()).hasSize(6).allSatisfy(link -> {
      assertThat(link.kind()).isEqualTo(GpuLinkKind.NVLINK);
      assertThat(link.linkCount()).isEqualTo(6);
    });
    assertThat(inventory.nvlinkLanes()).hasSize(24).allMatch(NvLinkLane::active);
  }

  @Test
  void aGpuLostDuringTheLinkScanIsNamedAndItsPeerStillCountsTheLinks() throws Throwable {
    Path lib = FakeNvml.compile(libs, "libfake-nvml-lost-link.so", "FAKE_TOPOLOGY",
        "FAKE_LOST_NVLINK");

    GpuTopology topology = discover(lib);

    assertThat(topology.status()).isEqualTo(GpuDiscovery.Status.FOUND);
    assertThat(topology.inventory().gpuPeerLinks())
        .contains(new GpuPeerLink(2, 3, GpuLinkKind.NVLINK, 4));
    assertThat(topology.inventory().nvlinkLanes()).noneMatch(lane -> lane.gpu() == 3);
    assertThat(topology.inventory().reasons()).contains("nvml: GPU 3 link 0: "
        + "nvmlDeviceGetNvLinkState: GPU is lost (15); its remaining links not read");
  }

  @Test
  void aDriverWithoutTheTopologyFunctionsFailsSoTheCallerFallsBack() throws Throwable {
    // The plain fake has no topology functions, like a driver older than R450.
    Path lib = FakeNvml.compile(libs, "libfake-nvml-old.so");

    GpuTopology topology = discover(lib);

    assertThat(topology.status()).isEqualTo(GpuDiscovery.Status.FAILED);
    assertThat(topology.inventory().reasons()).singleElement().asString()
        .startsWith("NVML: nvmlDeviceGetPciInfo_v3: missing from ")
        .endsWith("(expected: an NVIDIA driver R450 or newer)");
    assertThat(FakeNvml.counter(lib, "fake_nvml_active")).isZero();
    // The GPU probe binds the same library and does not need those functions.
    assertThat(new NvmlGpuProbe(lib.toString(), Duration.ofSeconds(10)).discover().status())
        .isEqualTo(GpuDiscovery.Status.FOUND);
  }

  @Test
  void missingLibraryIsAbsent() {
    GpuTopology topology =
        new NvmlTopologyProbe("libnvidia-ml-does-not-exist.so.1", Duration.ofSeconds(1))
            .discover();

    assertThat(topology).isEqualTo(
        GpuTopology.absent("libnvidia-ml-does-not-exist.so.1 not found: no NVIDIA driver"));
  }

  @Test
  void aHungDriverFailsAtTheTimeout() throws Throwable {
    Path lib = FakeNvml.compile(libs, "libfake-nvml-topo-hang.so", "FAKE_TOPOLOGY",
        "FAKE_HANG_SECONDS=2");

    GpuTopology topology =
        new NvmlTopologyProbe(lib.toString(), Duration.ofMillis(200)).discover();

    assertThat(topology).isEqualTo(
        GpuTopology.failed("NVML: no answer within 200ms (is the driver hung?)"));
  }
}
