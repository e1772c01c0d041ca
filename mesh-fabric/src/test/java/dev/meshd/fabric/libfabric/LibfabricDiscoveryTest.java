package dev.meshd.fabric.libfabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.LibfabricProvider;
import dev.meshd.fabric.discovery.Fixtures;
import dev.meshd.fabric.libfabric.LibfabricDiscovery.Result;
import dev.meshd.fabric.libfabric.LibfabricDiscovery.Via;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.FiInfoEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LibfabricDiscoveryTest {

  private static final String NOWHERE = "/nonexistent/libfabric.so.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** A stand-in for fi_info that prints the recorded outputs. */
  private static final String FAKE_FI_INFO = """
      #!/bin/sh
      case "$1 $2" in
        "-l ") cat "$LIST" ;;
        "-p tcp") cat "$FIXTURES/fi_info-p-tcp.txt" ;;
        "-p sockets") cat "$FIXTURES/fi_info-p-sockets.txt" ;;
        *) head -n 1 "$FIXTURES/fi_info-p-verbs-no-device.txt" >&2; exit 61 ;;
      esac
      """;

  @TempDir Path dir;

  @Test
  void thisMachinesLibfabricHasTcpAndSaysWhyTheRestIsAbsent() {
    Libfabric.assumeInstalled();
    LibfabricDiscovery discovery = new LibfabricDiscovery(FabricLibrary.DEFAULT_NAME,
        Optional.empty(), Map.of(), LinkLayerLookup.none(), TIMEOUT);

    Result result = discovery.discover();
    FabricInventory inventory = result.inventory();

    assertThat(result.via()).isEqualTo(Via.FI_GETINFO);
    assertThat(inventory.libfabricProviders()).contains(
        new LibfabricProvider("tcp;ofi_rxm", "127.0.0.1/32", "lo", "FI_EP_RDM",
            FabricClass.LIBFABRIC_TCP),
        new LibfabricProvider("tcp", "127.0.0.1/32", "lo", "FI_EP_MSG",
            FabricClass.LIBFABRIC_TCP),
        new LibfabricProvider("sockets", "127.0.0.1/32", "lo", "FI_EP_RDM",
            FabricClass.LIBFABRIC_TCP));
    assertThat(inventory.libfabricProviders()).doesNotHaveDuplicates();
    assertThat(inventory.fabricClasses()).containsExactly(FabricClass.LIBFABRIC_TCP);
    // No RDMA hardware on the build machines (and no verbs in Debian's build).
    assertThat(inventory.reasons()).contains(
        "verbs;ofi_rxm: no provider (fi_getinfo: -61 No data available)",
        "efa: no provider (fi_getinfo: -61 No data available)",
        "cxi: no provider (fi_getinfo: -61 No data available)",
        "psm3: no provider (fi_getinfo: -61 No data available)",
        "opx: no provider (fi_getinfo: -61 No data available)");
  }

  @Test
  void resultIsCachedUntilRefreshed() {
    Libfabric.assumeInstalled();
    LibfabricDiscovery discovery = new LibfabricDiscovery(FabricLibrary.DEFAULT_NAME,
        Optional.empty(), Map.of(), LinkLayerLookup.none(), TIMEOUT);

    Result first = discovery.discover();
    Result again = discovery.discover();
    Result refreshed = discovery.refresh();

    assertThat(again).isSameAs(first);
    assertThat(refreshed).isNotSameAs(first).isEqualTo(first);
    assertThat(discovery.discover()).isSameAs(refreshed);
  }

  @Test
  void missingLibraryWithoutTheToolIsAReasonNotAnError() {
    LibfabricDiscovery discovery = new LibfabricDiscovery(NOWHERE, Optional.empty(), Map.of(),
        LinkLayerLookup.none(), TIMEOUT);

    Result result = discovery.discover();

    assertThat(result.via()).isEqualTo(Via.NONE);
    assertThat(result.inventory().isEmpty()).isTrue();
    assertThat(result.inventory().reasons()).singleElement().asString()
        .startsWith("libfabric: library_missing: cannot load " + NOWHERE)
        .endsWith("; no fi_info on PATH either");
  }

  @Test
  void missingLibraryFallsBackToTheRecordedFiInfoOutput() throws IOException {
    Path fiInfo = fakeFiInfo();

    Result result = new LibfabricDiscovery(NOWHERE, Optional.of(fiInfo),
        environment(Fixtures.path("libfabric/fi_info-l.txt")), LinkLayerLookup.none(), TIMEOUT)
        .discover();

    assertThat(result.via()).isEqualTo(Via.FI_INFO_TOOL);
    // 10 tcp (5 fabrics x RDM over rxm and native MSG; the tool lists each RDM one 4 times)
    // and 15 sockets (5 fabrics x DGRAM, RDM, MSG).
    assertThat(result.inventory().libfabricProviders()).hasSize(25).doesNotHaveDuplicates()
        .extracting(LibfabricProvider::fabricClass).containsOnly(FabricClass.LIBFABRIC_TCP);
    assertThat(result.inventory().reasons().getFirst())
        .startsWith("libfabric: library_missing: cannot load " + NOWHERE)
        .endsWith("; read " + fiInfo + "'s output instead");
    assertThat(result.inventory().reasons()).hasSize(6).endsWith(
        "verbs;ofi_rxm: no provider (fi_info -l does not list verbs)",
        "efa: no provider (fi_info -l does not list efa)",
        "cxi: no provider (fi_info -l does not list cxi)",
        "psm3: no provider (fi_info -l does not list psm3)",
        "opx: no provider (fi_info -l does not list opx)");
  }

  @Test
  void aBuiltInProviderWithoutDeviceQuotesFiGetinfosError() throws IOException {
    Path list = dir.resolve("list-with-verbs.txt");
    Files.writeString(list, Fixtures.text("libfabric/fi_info-l.txt")
        + "verbs:\n    version: 117.0\n");

    Result result = new LibfabricDiscovery(NOWHERE, Optional.of(fakeFiInfo()),
        environment(list), LinkLayerLookup.none(), TIMEOUT).discover();

    assertThat(result.inventory().reasons())
        .contains("verbs;ofi_rxm: no provider (fi_info: fi_getinfo: -61 No data available)");
  }

  @Test
  void aHungToolIsCutOffAtTheTimeout() throws IOException {
    Path hung = dir.resolve("fi_info");
    Files.writeString(hung, "#!/bin/sh\nexec sleep 30\n");
    Files.setPosixFilePermissions(hung, PosixFilePermissions.fromString("rwx------"));
    long start = System.nanoTime();

    Result result = new LibfabricDiscovery(NOWHERE, Optional.of(hung),
        Map.of("PATH", "/usr/bin:/bin"), LinkLayerLookup.none(), Duration.ofSeconds(1))
        .discover();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(String.join("\n", result.inventory().reasons())).contains("no answer within 1s");
    assertThat(result.inventory().libfabricProviders()).isEmpty();
  }

  @Test
  void verbsDomainsAreClassedByLinkLayerThenByNameThenAsInfiniBand() {
    LinkLayerLookup sysfs = LinkLayerLookup.sysfs(Fixtures.path("sysfs"));

    assertThat(classify("verbs;ofi_rxm", "mlx5_0", sysfs))
        .isEqualTo(new LibfabricDiscovery.ProviderClasses.Classified(FabricClass.RDMA_IB,
            Optional.empty()));
    assertThat(classify("verbs;ofi_rxm", "mlx5_1-rdm", sysfs).fabricClass())
        .isEqualTo(FabricClass.RDMA_ROCE);
    assertThat(classify("verbs;ofi_rxm", "rxe0", sysfs).fabricClass())
        .isEqualTo(FabricClass.RDMA_ROCE);
    assertThat(classify("verbs;ofi_rxm", "mlx5_7", sysfs)).isEqualTo(
        new LibfabricDiscovery.ProviderClasses.Classified(FabricClass.RDMA_IB, Optional.of(
            "verbs domain mlx5_7: link layer unknown (no sysfs link_layer for mlx5_7), "
                + "assumed InfiniBand")));
    assertThat(classify("efa", "rdmap0s31-rdm", sysfs).fabricClass()).isEqualTo(FabricClass.EFA);
    assertThat(classify("cxi", "cxi0", sysfs).fabricClass()).isEqualTo(FabricClass.CXI);
    assertThat(classify("psm3", "irdma0", sysfs).fabricClass()).isEqualTo(FabricClass.RDMA_IB);
    assertThat(classify("opx", "hfi1_0", sysfs).fabricClass()).isEqualTo(FabricClass.RDMA_IB);
    assertThat(classify("sockets", "lo", sysfs).fabricClass())
        .isEqualTo(FabricClass.LIBFABRIC_TCP);
  }

  private static LibfabricDiscovery.ProviderClasses.Classified classify(String asked,
      String domain, LinkLayerLookup lookup) {
    return LibfabricDiscovery.ProviderClasses.classify(asked,
        new FiInfoEntry(asked, "IB-0xfe80000000000000", domain, "FI_EP_RDM", 0, 0), lookup);
  }

  private Path fakeFiInfo() throws IOException {
    Path script = dir.resolve("fi_info");
    Files.writeString(script, FAKE_FI_INFO);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static Map<String, String> environment(Path list) {
    return Map.of("PATH", "/usr/bin:/bin", "LIST", list.toString(),
        "FIXTURES", Fixtures.path("libfabric").toString());
  }
}
