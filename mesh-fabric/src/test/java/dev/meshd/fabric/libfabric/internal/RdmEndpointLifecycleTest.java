package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.fabric.libfabric.LibfabricTcpProbe;
import dev.meshd.fabric.libfabric.LibfabricTransportConfig;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
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

  private static Path fake;
  private static FabricLibrary library;
  private static MethodHandle reset;
  private static MethodHandle log;
  private static MethodHandle live;

  @BeforeAll
  static void buildTheFake() throws Exception {
    fake = build(dir);
    library = FabricLibrary.load(fake.toString());
    SymbolLookup controls = SymbolLookup.libraryLookup(fake, Arena.global());
    Linker linker = Linker.nativeLinker();
    reset = linker.downcallHandle(controls.find("fake_reset").orElseThrow(),
        FunctionDescriptor.ofVoid(ADDRESS));
    log = linker.downcallHandle(controls.find("fake_log").orElseThrow(),
        FunctionDescriptor.of(ADDRESS));
    live = linker.downcallHandle(controls.find("fake_live").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT));
  }

  /** Compiles the fake into {@code dir}; skips the test without gcc or libfabric's headers. */
  private static Path build(Path dir) throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/rdma/fabric.h")),
        "libfabric headers not installed (apt-get install libfabric-dev); .ci/run installs them");
    Path source = dir.resolve("fake_fabric.c");
    try (InputStream in = RdmEndpointLifecycleTest.class.getResourceAsStream(
        "/fake-libfabric/fake_fabric.c")) {
      Files.copy(in, source);
    }
    Path lib = dir.resolve("libfakefabric.so");
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(),
          source.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("gcc is not installed: cannot build the fake libfabric");
      throw e;
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();
    return lib;
  }

  /** Clears the fake's log and makes {@code step} fail ("" for none). */
  private static void failAt(String step) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      reset.invokeExact(arena.allocateFrom(step));
    }
  }

  private static String log() throws Throwable {
    return ((MemorySegment) log.invokeExact()).reinterpret(8192).getString(0);
  }

  /** fi_info lists and fids the fake handed out and that were not freed or closed yet. */
  private static int live() throws Throwable {
    return (int) live.invokeExact();
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
}
