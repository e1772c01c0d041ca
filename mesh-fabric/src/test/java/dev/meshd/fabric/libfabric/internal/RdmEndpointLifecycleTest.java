package dev.meshd.fabric.libfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshd.fabric.libfabric.LibfabricProbeResponder;
import dev.meshd.fabric.libfabric.LibfabricTcpProbe;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeSpec;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real binding against a fake {@code libfabric.so} ({@code fake-libfabric/fake_fabric.c},
 * built from the real headers with gcc at test time) that logs every open and close and can
 * fail any step: whatever fails, every fid opened is closed, in reverse order, and every
 * {@code fi_info} freed, and the probe turns each failure into its fallback reason.
 */
@SuppressWarnings("restricted")
class RdmEndpointLifecycleTest {

  private static final String OPENED =
      "getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint;bind cq;bind av;enable;getname;";
  private static final String CLOSED =
      "close ep;close cq;close av;close domain;close fabric;freeinfo;";

  @TempDir static Path dir;

  private static FakeFabric fakeFabric;
  private static Path fake;
  private static FabricLibrary library;

  @BeforeAll
  static void buildTheFake() throws Exception {
    fakeFabric = FakeFabric.build(dir);
    fake = fakeFabric.path();
    library = fakeFabric.library();
  }

  private static void failAt(String step) throws Throwable {
    fakeFabric.failAt(step);
  }

  private static String log() throws Throwable {
    return fakeFabric.log();
  }

  private static int live() throws Throwable {
    return fakeFabric.live();
  }

  @BeforeEach
  void noFailure() throws Throwable {
    failAt("");
  }

  @Test
  void opensInOrderAndClosesInReverse() throws Throwable {
    try (RdmEndpoint endpoint = RdmEndpoint.open(library, "fake", "127.0.0.1")) {
      assertThat(endpoint.info().provider()).isEqualTo("fake;ofi_rxm");
      assertThat(endpoint.name()).hasSize(16);
      assertThat(log()).isEqualTo(OPENED);
    }

    assertThat(log()).isEqualTo(OPENED + CLOSED);
    assertThat(live()).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      getinfo  | fi_getinfo: -61 No data available | getinfo!;freeinfo;
      fabric   | fi_fabric: -12 Cannot allocate memory | getinfo;freeinfo;fabric!;freeinfo;
      domain   | fi_domain: -12 Cannot allocate memory | getinfo;freeinfo;fabric;domain!;close fabric;freeinfo;
      av_open  | fi_av_open: -12 Cannot allocate memory | getinfo;freeinfo;fabric;domain;av_open!;close domain;close fabric;freeinfo;
      cq_open  | fi_cq_open: -12 Cannot allocate memory | getinfo;freeinfo;fabric;domain;av_open;cq_open!;close av;close domain;close fabric;freeinfo;
      endpoint | fi_endpoint: -12 Cannot allocate memory | getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint!;close cq;close av;close domain;close fabric;freeinfo;
      bind cq  | fi_ep_bind: -22 Invalid argument | getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint;bind cq!;close ep;close cq;close av;close domain;close fabric;freeinfo;
      bind av  | fi_ep_bind: -22 Invalid argument | getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint;bind cq;bind av!;close ep;close cq;close av;close domain;close fabric;freeinfo;
      enable   | fi_enable: -22 Invalid argument | getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint;bind cq;bind av;enable!;close ep;close cq;close av;close domain;close fabric;freeinfo;
      getname  | fi_getname: -22 Invalid argument | getinfo;freeinfo;fabric;domain;av_open;cq_open;endpoint;bind cq;bind av;enable;getname!;close ep;close cq;close av;close domain;close fabric;freeinfo;
      """)
  void aFailedStepClosesWhatWasOpenedInReverse(String step, String error, String expectedLog)
      throws Throwable {
    failAt(step);

    FabricCallException failure = catchThrowableOfType(FabricCallException.class,
        () -> RdmEndpoint.open(library, "fake", "127.0.0.1"));

    assertThat(failure).hasMessage(error);
    assertThat(log()).isEqualTo(expectedLog);
    assertThat(live()).isZero();
  }

  @Test
  void anOpsTableTooShortForTheCallIsRefusedNotCalled() throws Throwable {
    failAt("short msg ops");

    FabricCallException failure = catchThrowableOfType(FabricCallException.class,
        () -> RdmEndpoint.open(library, "fake", "127.0.0.1"));

    assertThat(failure).hasMessage("msg->send: -38 Function not implemented (the provider's "
        + "table is 16 bytes (expected: at least 40))");
    assertThat(log()).endsWith(CLOSED);
    assertThat(live()).isZero();
  }

  @Test
  void aProviderThatNeedsRegisteredBuffersIsNotUsed() throws Throwable {
    failAt("mr local");

    FabricCallException failure = catchThrowableOfType(FabricCallException.class,
        () -> RdmEndpoint.open(library, "fake", "127.0.0.1"));

    assertThat(failure.errno()).isEqualTo(FiStructs.FI_ENODATA);
    assertThat(failure).hasMessageContaining("needs registered local buffers (FI_MR_LOCAL)");
    assertThat(log()).isEqualTo("getinfo;freeinfo;freeinfo;");
    assertThat(live()).isZero();
  }

  @Test
  void discoveryHintsAreFreedWithoutFreeingJavasStrings() throws Throwable {
    try (FiInfoList list = library.getinfo(null, 0, FiHints.listing("tcp"))) {
      assertThat(list.entries()).containsExactly(
          new FiInfoEntry("fake;ofi_rxm", "127.0.0.1/32", "lo", "FI_EP_UNSPEC", 0, 0));
    }
    // The fake frees prov_name as libfabric does: had "tcp" (Java's memory) been left in the
    // hints, free() would have aborted the JVM.
    assertThat(log()).isEqualTo("getinfo;freeinfo;freeinfo;");
    assertThat(live()).isZero();
  }

  @Test
  void probeFailuresAreReasonsAndLeaveNothingOpen() throws Throwable {
    LibfabricTransportConfig config = LibfabricTransportConfig.loopback()
        .withLibrary(fake.toString());
    ProbeSpec spec = new ProbeSpec(1, 1024, 1, Duration.ofSeconds(1));
    byte[] peer = {2, 0, 0x12, 0x35, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] garbage = new byte[16];

    failAt("cq_open");
    ProbeFailure cq = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(config).probe(peer, spec));
    failAt("getinfo");
    ProbeFailure getinfo = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(config).probe(peer, spec));
    failAt("");
    ProbeFailure insert = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(config).probe(garbage, spec));
    // The fake's fi_send answers EAGAIN for ever: a peer that never connects.
    ProbeFailure timeout = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(config).probe(peer, spec));

    assertThat(cq.reason()).isEqualTo(FallbackReason.TRANSPORT_ERROR);
    assertThat(cq).hasMessage("transport_error: fi_cq_open: -12 Cannot allocate memory");
    assertThat(getinfo.reason()).isEqualTo(FallbackReason.PROVIDER_MISSING);
    assertThat(insert.reason()).isEqualTo(FallbackReason.ADDRESS_INSERT_FAILED);
    assertThat(insert).hasMessage(
        "address_insert_failed: fi_av_insert: -99 Cannot assign requested address");
    assertThat(timeout.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
    assertThat(log()).endsWith(CLOSED);
    assertThat(live()).isZero();
  }

  @Test
  void anRdmaProvidersDemandsAreHonouredAndItsRegionsClosedFirst() throws Throwable {
    failAt("rdma demands");
    try (RdmEndpoint endpoint =
        RdmEndpoint.open(library, "fake", "127.0.0.1", EndpointRequest.rma())) {
      assertThat(endpoint.demands().contextBytes()).isEqualTo(FiStructs.FI_CONTEXT2_BYTES);
      assertThat(endpoint.demands().localDescriptors()).isTrue();
      MemorySegment region = endpoint.arena().allocate(4096, 64);

      MemoryRegion registered = endpoint.register(region, FiStructs.FI_REMOTE_WRITE);
      MemorySegment local = endpoint.buffer(64);
      long rc = endpoint.send(local, 64, 7, 42);

      // FI_MR_PROV_KEY: the provider's key; FI_MR_VIRT_ADDR: the region's own address.
      assertThat(registered.key()).isEqualTo(0xC0FFEE);
      assertThat(registered.targetBase()).isEqualTo(region.address());
      assertThat(registered.targetAddress(128)).isEqualTo(region.address() + 128);
      // FI_MR_LOCAL: the local buffer's descriptor; FI_CONTEXT2: a struct, not the value 42.
      assertThat(rc).isEqualTo(-FiStructs.FI_EAGAIN);
      assertThat(fakeFabric.lastDescriptor()).isEqualTo(0xD35C);
      assertThat(fakeFabric.lastContext()).isNotEqualTo(42);
      // FI_MR_ENDPOINT: each region bound to the endpoint and enabled.
      assertThat(log()).isEqualTo(OPENED + "mr_reg;mr bind;mr enable;mr_reg;mr bind;mr enable;");
    }

    assertThat(log()).endsWith("close mr;close mr;" + CLOSED);
    assertThat(live()).isZero();
  }

  @Test
  void aProviderThatDemandsNothingGetsPlainContextsAndNoDescriptors() throws Throwable {
    try (RdmEndpoint endpoint =
        RdmEndpoint.open(library, "fake", "127.0.0.1", EndpointRequest.rma())) {
      MemoryRegion registered =
          endpoint.register(endpoint.arena().allocate(4096, 64), FiStructs.FI_REMOTE_WRITE);
      endpoint.send(endpoint.buffer(64), 64, 7, 42);

      assertThat(registered.key()).isEqualTo(1);
      assertThat(registered.targetBase()).isZero();
      assertThat(fakeFabric.lastDescriptor()).isZero();
      assertThat(fakeFabric.lastContext()).isEqualTo(42);
      assertThat(log()).isEqualTo(OPENED + "mr_reg;");
    }
    assertThat(live()).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      mr_reg    | memory_registration_failed: fi_mr_reg: -12 Cannot allocate memory
      """)
  void aRefusedRegistrationIsAReasonAndLeavesNothingOpen(String step, String message)
      throws Throwable {
    LibfabricTransportConfig config = LibfabricTransportConfig.loopback()
        .withLibrary(fake.toString());
    failAt(step);

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> LibfabricProbeResponder.startRma(config));

    assertThat(failure.reason()).isEqualTo(FallbackReason.MEMORY_REGISTRATION_FAILED);
    assertThat(failure).hasMessage(message);
    // The serving thread closes what it opened right after it reported the failure.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(log()).isEqualTo(OPENED + step + "!;" + CLOSED);
      assertThat(live()).isZero();
    });
  }

  @Test
  void aRegionThatCannotBeBoundToTheEndpointFailsAndIsStillClosed() throws Throwable {
    failAt("rdma demands");
    try (RdmEndpoint endpoint =
        RdmEndpoint.open(library, "fake", "127.0.0.1", EndpointRequest.rma())) {
      // The demands were read at open (FI_MR_ENDPOINT); now the fake refuses the bind.
      failAt("mr bind");

      FabricCallException failure = catchThrowableOfType(FabricCallException.class,
          () -> endpoint.register(endpoint.arena().allocate(64, 64), FiStructs.FI_REMOTE_WRITE));

      assertThat(failure).hasMessage("fi_mr_bind: -22 Invalid argument");
      assertThat(log()).isEqualTo("mr_reg;mr bind!;");
    }
    assertThat(log()).endsWith("close mr;" + CLOSED);
    assertThat(live()).isZero();
  }

  @Test
  void theTcpTransportsRequestStillRefusesAProviderWithDemands() throws Throwable {
    failAt("rdma demands");

    FabricCallException failure = catchThrowableOfType(FabricCallException.class,
        () -> RdmEndpoint.open(library, "fake", "127.0.0.1"));

    assertThat(failure.errno()).isEqualTo(FiStructs.FI_ENODATA);
    assertThat(failure).hasMessageContaining("FI_MR_LOCAL");
    assertThat(live()).isZero();
  }
}
