package dev.meshd.fabric.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.RdmaPort;
import dev.meshd.core.fabric.RdmaPortState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsRdmaDiscoveryTest {

  @TempDir Path sys;

  @Test
  void readsTheRecordedTree() {
    FabricInventory inventory = new SysfsRdmaDiscovery(Fixtures.path("sysfs")).discover();

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.rdmaPorts()).containsExactly(
        new RdmaPort("mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 400, LinkLayer.INFINIBAND),
        new RdmaPort("mlx5_1", 1, RdmaPortState.DOWN, 3, "Disabled", 100, LinkLayer.ETHERNET));
    assertThat(inventory.rdmaPorts().getFirst().rateBytesPerSecond())
        .isEqualTo(50_000_000_000L);
    // The RoCE port is down, so only InfiniBand is on offer.
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.RDMA_IB);
  }

  @Test
  void followsDeviceSymlinksAsTheKernelLaysThemOut() throws IOException {
    // /sys/class/infiniband/<dev> is a symlink into /sys/devices/...
    Path device = sys.resolve("devices/pci0000:00/0000:00:01.0/infiniband/mlx5_0");
    port(device.resolve("ports/1"), "4: ACTIVE", "5: LinkUp", "200 Gb/sec (4X HDR)",
        "InfiniBand");
    Files.createDirectories(sys.resolve("class/infiniband"));
    Files.createSymbolicLink(sys.resolve("class/infiniband/mlx5_0"), device);

    FabricInventory inventory = new SysfsRdmaDiscovery(sys).discover();

    assertThat(inventory.reasons()).isEmpty();
    assertThat(inventory.rdmaPorts()).containsExactly(new RdmaPort(
        "mlx5_0", 1, RdmaPortState.ACTIVE, 5, "LinkUp", 200, LinkLayer.INFINIBAND));
  }

  @Test
  void missingRootIsAbsentWithAReason() {
    FabricInventory inventory = new SysfsRdmaDiscovery(sys.resolve("nope")).discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons())
        .containsExactly("no " + sys.resolve("nope/class/infiniband"));
  }

  @Test
  void emptyClassDirectorySaysSo() throws IOException {
    Files.createDirectories(sys.resolve("class/infiniband"));

    FabricInventory inventory = new SysfsRdmaDiscovery(sys).discover();

    assertThat(inventory.isEmpty()).isTrue();
    assertThat(inventory.reasons()).singleElement().asString().startsWith("no RDMA devices");
  }

  @Test
  void malformedFileSkipsThatPortAndNamesTheFile() throws IOException {
    copyFixtureTree();
    Path rate = sys.resolve("class/infiniband/mlx5_0/ports/1/rate");
    Files.writeString(rate, "fast\n");

    FabricInventory inventory = new SysfsRdmaDiscovery(sys).discover();

    assertThat(inventory.rdmaPorts()).extracting(RdmaPort::device).containsExactly("mlx5_1");
    assertThat(inventory.reasons()).singleElement().asString()
        .startsWith("skipped mlx5_0 port 1: " + rate + ": 'fast' (expected: '<N> Gb/sec");
  }

  @Test
  void eachKindOfBrokenPortIsSkippedWithoutThrowing() throws IOException {
    copyFixtureTree();
    Path ports = sys.resolve("class/infiniband/mlx5_0/ports");
    port(ports.resolve("2"), "9: WEIRD", "5: LinkUp", "200 Gb/sec (4X HDR)", "InfiniBand");
    port(ports.resolve("3"), "4: DOWN", "5: LinkUp", "200 Gb/sec (4X HDR)", "InfiniBand");
    port(ports.resolve("4"), "4: ACTIVE", "LinkUp", "200 Gb/sec (4X HDR)", "InfiniBand");
    port(ports.resolve("5"), "4: ACTIVE", "5: LinkUp", "200 Gb/sec (4X HDR)", "Token Ring");
    port(ports.resolve("6"), "4: ACTIVE", "5: LinkUp", "200 Gb/sec (4X HDR)", "InfiniBand");
    Files.delete(ports.resolve("6/link_layer"));
    port(ports.resolve("7"), "4: ACTIVE", "5: LinkUp", "200 Gb/sec (4X HDR)", "InfiniBand");
    Files.write(ports.resolve("7/state"), new byte[] {0, (byte) 0xff, 10});
    Files.createDirectories(ports.resolve("lost+found"));
    Files.createDirectories(sys.resolve("class/infiniband/mlx5_9"));
    port(ports.resolve("8"), "5: ACTIVE_DEFER", "5: LinkUp", "2.5 Gb/sec (1X SDR)",
        "Unspecified");

    FabricInventory inventory = new SysfsRdmaDiscovery(sys).discover();

    assertThat(inventory.rdmaPorts())
        .extracting(p -> p.device() + "/" + p.port())
        .containsExactly("mlx5_0/1", "mlx5_0/8", "mlx5_1/1");
    assertThat(inventory.rdmaPorts().get(1).rateGbps()).isEqualTo(2.5);
    assertThat(inventory.reasons()).hasSize(8).anySatisfy(r -> assertThat(r)
        .contains("ports/2/state: '9: WEIRD' (expected: a state code 0-5)"))
        .anySatisfy(r -> assertThat(r).contains("ports/3/state: '4: DOWN' (expected: '4: ACTIVE')"))
        .anySatisfy(r -> assertThat(r).contains("ports/4/phys_state: 'LinkUp'"))
        .anySatisfy(r -> assertThat(r).contains("'Token Ring' (expected: InfiniBand, Ethernet"))
        .anySatisfy(r -> assertThat(r).endsWith("ports/6/link_layer: missing"))
        .anySatisfy(r -> assertThat(r).contains("ports/7/state: '??"))
        .anySatisfy(r -> assertThat(r).contains("lost+found: not a port number"))
        .anySatisfy(r -> assertThat(r).startsWith("skipped mlx5_9: cannot list"));
  }

  private void copyFixtureTree() throws IOException {
    Path from = Fixtures.path("sysfs");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path to = sys.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
  }

  private static void port(Path dir, String state, String physState, String rate,
      String linkLayer) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("state"), state + "\n");
    Files.writeString(dir.resolve("phys_state"), physState + "\n");
    Files.writeString(dir.resolve("rate"), rate + "\n");
    Files.writeString(dir.resolve("link_layer"), linkLayer + "\n");
  }
}
