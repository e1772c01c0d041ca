package dev.meshd.fabric.libfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.fabric.discovery.Fixtures;
import org.junit.jupiter.api.Test;

class FiInfoTextParserTest {

  @Test
  void recordedTcpListingGivesRdmOverRxmAndNativeMsgPerDomain() {
    FiInfoTextParser.Providers parsed =
        FiInfoTextParser.parseProviders(Fixtures.text("libfabric/fi_info-p-tcp.txt"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.entries()).hasSize(25);
    assertThat(parsed.entries()).contains(
        new FiInfoEntry("tcp;ofi_rxm", "127.0.0.1/32", "lo", "FI_EP_RDM", 0, 0),
        new FiInfoEntry("tcp", "127.0.0.1/32", "lo", "FI_EP_MSG", 0, 0),
        new FiInfoEntry("tcp;ofi_rxm", "192.0.2.0/24", "eth0", "FI_EP_RDM", 0, 0));
    // Each tcp;ofi_rxm domain is listed four times (variants in fields the tool does not print).
    assertThat(parsed.entries().stream().distinct()).hasSize(10);
  }

  @Test
  void recordedSocketsListingHasAllThreeEndpointTypes() {
    FiInfoTextParser.Providers parsed =
        FiInfoTextParser.parseProviders(Fixtures.text("libfabric/fi_info-p-sockets.txt"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.entries()).hasSize(15)
        .extracting(FiInfoEntry::endpointType).containsOnly("FI_EP_DGRAM", "FI_EP_RDM", "FI_EP_MSG");
    assertThat(parsed.entries()).contains(
        new FiInfoEntry("sockets", "::1/128", "lo", "FI_EP_MSG", 0, 0));
  }

  @Test
  void recordedProviderListGivesNamesAndVersions() {
    var providers = FiInfoTextParser.parseList(Fixtures.text("libfabric/fi_info-l.txt"));

    assertThat(providers.keySet()).containsExactly("psm2", "psm", "ofi_rxm", "ofi_rxd", "shm",
        "udp", "tcp", "sockets", "net", "ofi_hook_perf", "ofi_hook_debug", "ofi_hook_noop",
        "ofi_hook_hmem", "ofi_hook_dmabuf_peer_mem", "ofi_mrail");
    assertThat(providers).containsEntry("tcp", "117.0");
  }

  @Test
  void recordedNoDeviceErrorGivesTheErrorNumber() {
    String output = Fixtures.text("libfabric/fi_info-p-verbs-no-device.txt");

    assertThat(FiInfoTextParser.getinfoError(output)).hasValue(61);
    assertThat(FiInfoTextParser.errnoText(61)).contains("No data available");
    assertThat(FiInfoTextParser.parseProviders(output).entries()).isEmpty();
  }

  @Test
  void verboseOutputIsNamedNotMisread() {
    FiInfoTextParser.Providers parsed =
        FiInfoTextParser.parseProviders(Fixtures.text("libfabric/fi_info-p-tcp-v-head150.txt"));

    assertThat(parsed.entries()).isEmpty();
    assertThat(parsed.problems()).containsExactly(
        "verbose output (fi_info -v) is not read (expected: fi_info -p <provider>)");
  }

  @Test
  void incompleteBlocksAndGarbageAreReportedNotThrown() {
    String output = """
        provider: tcp
            fabric: 127.0.0.1/32
            type: FI_EP_MSG
        provider: sockets
            fabric: 127.0.0.1/32
            domain: lo
            type: FI_EP_RDM
        \u0000\u00ff garbage
        """;

    FiInfoTextParser.Providers parsed = FiInfoTextParser.parseProviders(output);

    assertThat(parsed.entries()).containsExactly(
        new FiInfoEntry("sockets", "127.0.0.1/32", "lo", "FI_EP_RDM", 0, 0));
    assertThat(parsed.problems()).containsExactly(
        "skipped a tcp entry without domain", "1 line(s) not understood");
    assertThat(FiInfoTextParser.parseProviders("").problems()).containsExactly("empty output");
    assertThat(FiInfoTextParser.parseList(null)).isEmpty();
    assertThat(FiInfoTextParser.getinfoError("fi_getinfo: -")).isEmpty();
  }
}
