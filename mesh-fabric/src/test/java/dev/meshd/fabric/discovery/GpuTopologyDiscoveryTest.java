package dev.meshd.fabric.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.blocking.BoundedCommand;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.NvLinkLane;
import dev.meshd.core.gpu.GpuTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the discovery with fake {@code nvidia-smi} and {@code rocm-smi} scripts on a PATH the
 * test controls, printing the recorded real outputs in {@code fixtures/}; NVML is either absent
 * (a library path that does not exist, through the real probe) or a stub.
 */
class GpuTopologyDiscoveryTest {

  private static final String NO_NVML = "/nonexistent/libnvidia-ml.so.1";

  @TempDir Path bin;

  private void script(String name, String body) throws Exception {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A fake nvidia-smi answering {@code topo -m} and {@code nvlink -s} from the fixtures. */
  private void fakeNvidiaSmi() throws Exception {
    script("nvidia-smi", """
        case "$*" in
          "topo -m") '%1$s' '%2$s' ;;
          "nvlink -s") '%1$s' '%3$s' ;;
          *) echo "unexpected arguments: $*" >&2; exit 2 ;;
        esac
        """.formatted(utility("cat"), Fixtures.path("nvidia-smi/topo-m-4xH100-nvlink.txt"),
        Fixtures.path("nvidia-smi/nvlink-s-v100.txt")));
  }

  private void fakeRocmSmi() throws Exception {
    script("rocm-smi", """
        if [ "$*" != "--showtopo" ]; then echo "unexpected arguments: $*" >&2; exit 2; fi
        '%s' '%s'
        """.formatted(utility("cat"), Fixtures.path("rocm-smi/showtopo-2xMI300X.txt")));
  }

  /**
   * PATH with the fakes and nothing else: a real nvidia-smi or rocm-smi on the machine running
   * the tests must not be found. The scripts call the utilities they need by absolute path.
   */
  private Map<String, String> pathWithFakes() {
    return Map.of("PATH", bin.toString());
  }

  /** The absolute path of a utility such as {@code cat}, for the fakes to call. */
  private static String utility(String name) {
    return BoundedCommand.findOnPath(name, System.getenv("PATH")).orElseThrow().toString();
  }

  private GpuTopologyDiscovery.Builder discovery() {
    return GpuTopologyDiscovery.builder()
        .nvmlLibrary(NO_NVML)
        .environment(pathWithFakes())
        .timeout(Duration.ofSeconds(10));
  }

  @Test
  void withoutNvmlTheNvidiaToolsAreParsed() throws Exception {
    fakeNvidiaSmi();

    FabricInventory inventory = discovery().build().discover();

    assertThat(inventory.gpuPeerLinks()).hasSize(6).allSatisfy(link -> {
      assertThat(link.kind()).isEqualTo(GpuLinkKind.NVLINK);
      assertThat(link.linkCount()).isEqualTo(6);
    });
    assertThat(inventory.nvlinkLanes()).hasSize(12);
    assertThat(inventory.nvlinkLanes()).filteredOn(NvLinkLane::active).hasSize(10)
        .allMatch(lane -> lane.bytesPerSecond() == 25_781_000_000L);
    assertThat(inventory.reasons()).containsExactly(
        NO_NVML + " not found: no NVIDIA driver",
        "rocm-smi not found on PATH: no ROCm");
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.NVLINK);
  }

  @Test
  void whenNvmlAnswersTheNvidiaToolsAreNotRun() throws Exception {
    Path ran = bin.resolve("nvidia-smi-ran");
    script("nvidia-smi", "'" + utility("touch") + "' '" + ran + "'");
    FabricInventory fromNvml = new FabricInventory(List.of(),
        List.of(new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 18)),
        List.of(new NvLinkLane(0, 0, true, 50_000_000_000L)), List.of(), List.of());

    FabricInventory inventory =
        discovery().nvml(() -> GpuTopology.found(fromNvml)).build().discover();

    assertThat(inventory.gpuPeerLinks()).isEqualTo(fromNvml.gpuPeerLinks());
    assertThat(inventory.nvlinkLanes()).isEqualTo(fromNvml.nvlinkLanes());
    assertThat(inventory.reasons()).containsExactly("rocm-smi not found on PATH: no ROCm");
    assertThat(ran).doesNotExist();
  }

  @Test
  void aFailedNvmlFallsBackToTheToolsAndKeepsItsReason() throws Exception {
    fakeNvidiaSmi();
    String why = "NVML: nvmlDeviceGetPciInfo_v3: missing from libnvidia-ml.so.1";

    FabricInventory inventory =
        discovery().nvml(() -> GpuTopology.failed(why)).build().discover();

    assertThat(inventory.gpuPeerLinks()).hasSize(6);
    assertThat(inventory.reasons()).startsWith(why);
  }

  @Test
  void amdGpusComeFromRocmSmiWithWhatIsUnknownAboutTheirXgmiPairs() throws Exception {
    fakeRocmSmi();

    FabricInventory inventory = discovery().build().discover();

    assertThat(inventory.gpuPeerLinks())
        .containsExactly(new GpuPeerLink(0, 1, GpuLinkKind.XGMI, 0));
    assertThat(inventory.reasons()).containsExactly(
        NO_NVML + " not found: no NVIDIA driver",
        "nvidia-smi not found on PATH",
        "rocm-smi: XGMI pairs found (link counts unknown: rocm-smi does not list them); the xgmi "
            + "transport proves a pair through HIP when a stage link over it is negotiated");
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.XGMI);
  }

  @Test
  void noGpuToolAtAllIsReasonsNotErrors() {
    FabricInventory inventory = GpuTopologyDiscovery.builder()
        .nvmlLibrary(NO_NVML)
        .environment(Map.of("PATH", bin.toString()))
        .build()
        .discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).containsExactly(
        NO_NVML + " not found: no NVIDIA driver",
        "nvidia-smi not found on PATH",
        "rocm-smi not found on PATH: no ROCm");
  }

  @Test
  void configuredPathsAreRunWithoutSearchingPath() throws Exception {
    fakeNvidiaSmi();
    fakeRocmSmi();
    Path elsewhere = Files.createDirectory(bin.resolve("elsewhere"));

    FabricInventory inventory = discovery()
        .environment(Map.of("PATH", elsewhere.toString()))
        .nvidiaSmi(bin.resolve("nvidia-smi"))
        .rocmSmi(bin.resolve("rocm-smi"))
        .build()
        .discover();

    assertThat(inventory.fabricClasses())
        .containsExactly(FabricClass.NVLINK, FabricClass.XGMI);
    assertThat(discovery().rocmSmi(elsewhere.resolve("rocm-smi")).build().discover().reasons())
        .contains(elsewhere.resolve("rocm-smi") + " not found or not executable");
  }

  @Test
  void aFailingToolIsAReasonWithItsMessage() throws Exception {
    script("nvidia-smi", """
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
        exit 9
        """);

    FabricInventory inventory = discovery().build().discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).contains(
        "nvidia-smi topo -m exited with status 9: NVIDIA-SMI has failed because it couldn't "
            + "communicate with the NVIDIA driver.",
        "nvidia-smi nvlink -s exited with status 9: NVIDIA-SMI has failed because it couldn't "
            + "communicate with the NVIDIA driver.");
  }

  @Test
  void aHungToolIsKilledAtTheTimeout() throws Exception {
    script("rocm-smi", "'" + utility("sleep") + "' 30");

    long start = System.nanoTime();
    FabricInventory inventory =
        discovery().timeout(Duration.ofMillis(300)).build().discover();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(inventory.reasons()).contains(
        "rocm-smi --showtopo: no answer within 300ms (killed; is the driver hung?)");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }
}
