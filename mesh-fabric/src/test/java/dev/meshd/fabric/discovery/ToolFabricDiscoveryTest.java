package dev.meshd.fabric.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real runner against fake tools on the PATH, printing recorded real outputs. */
class ToolFabricDiscoveryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path bin;

  private Map<String, String> path() {
    // The fake tools are shell scripts that need sh and cat.
    return Map.of("PATH", bin + ":/usr/bin:/bin");
  }

  private void tool(String name, String script) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A fake nvidia-smi printing the recorded outputs of {@code topo -m} and {@code nvlink -s}. */
  private void recordedNvidiaSmi() throws IOException {
    tool("nvidia-smi", """
        case "$1" in
          topo) cat '%s' ;;
          nvlink) cat '%s' ;;
          *) echo "unexpected: $*" >&2; exit 2 ;;
        esac""".formatted(Fixtures.path("nvidia-smi/topo-m-4xH100-nvlink.txt"),
        Fixtures.path("nvidia-smi/nvlink-s-v100.txt")));
  }

  @Test
  void aToolThatIsNotInstalledIsOneReason() {
    FabricInventory inventory = ToolFabricDiscovery.nvidiaSmi(path(), TIMEOUT).discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).containsExactly("nvidia-smi not found on PATH");
  }

  @Test
  void nvidiaSmiGivesPeerLinksFromTopoAndLanesFromNvlink() throws IOException {
    recordedNvidiaSmi();

    FabricInventory inventory = ToolFabricDiscovery.nvidiaSmi(path(), TIMEOUT).discover();

    assertThat(inventory.gpuPeerLinks()).hasSize(6)
        .allSatisfy(link -> assertThat(link.kind()).isEqualTo(GpuLinkKind.NVLINK));
    assertThat(inventory.nvlinkLanes()).isNotEmpty();
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.NVLINK);
  }

  @Test
  void rocmSmiGivesXgmiPeerLinks() throws IOException {
    tool("rocm-smi", "cat '" + Fixtures.path("rocm-smi/showtopo-2xMI300X.txt") + "'");

    FabricInventory inventory = ToolFabricDiscovery.rocmSmi(path(), TIMEOUT).discover();

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.XGMI);
  }

  @Test
  void aFailingToolIsAReasonPerInvocationQuotingItsMessage() throws IOException {
    // What nvidia-smi prints, on stdout, on a host whose driver is not loaded.
    tool("nvidia-smi", """
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
        exit 9""");

    FabricInventory inventory = ToolFabricDiscovery.nvidiaSmi(path(), TIMEOUT).discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).containsExactly(
        "nvidia-smi topo -m: exited with status 9: NVIDIA-SMI has failed because it couldn't "
            + "communicate with the NVIDIA driver.",
        "nvidia-smi nvlink -s: exited with status 9: NVIDIA-SMI has failed because it couldn't "
            + "communicate with the NVIDIA driver.");
  }

  @Test
  void aHungToolIsKilledAndTheRestIsSkipped() throws IOException {
    tool("nvidia-smi", "exec sleep 30");
    long start = System.nanoTime();

    FabricInventory inventory =
        ToolFabricDiscovery.nvidiaSmi(path(), Duration.ofMillis(300)).discover();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(inventory.reasons()).containsExactly(
        "nvidia-smi topo -m: no answer within 300ms (killed; is the driver hung?)",
        "nvidia-smi nvlink -s: skipped (nvidia-smi topo -m did not answer)");
  }

  @Test
  void outputAParserCannotUseIsAReasonNotAnError() throws IOException {
    tool("rocm-smi", "echo 'ERROR: GPU[0] : Unable to get topology'");

    FabricInventory inventory = ToolFabricDiscovery.rocmSmi(path(), TIMEOUT).discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).singleElement().asString()
        .startsWith("rocm-smi --showtopo: ");
  }

  @Test
  void aParserThatThrowsAnywayIsAReason() throws IOException {
    tool("fake-tool", "echo hello");
    ToolFabricDiscovery discovery = new ToolFabricDiscovery("fake-tool",
        List.of(new ToolFabricDiscovery.Invocation(List.of("--all"), out -> {
          throw new IllegalStateException("parser bug");
        })), path(), TIMEOUT);

    assertThat(discovery.discover().reasons()).containsExactly(
        "fake-tool --all: unreadable output: java.lang.IllegalStateException: parser bug");
  }
}
