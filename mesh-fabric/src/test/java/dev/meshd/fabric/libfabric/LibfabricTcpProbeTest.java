package dev.meshd.fabric.libfabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.RdmEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The libfabric {@code tcp} probe for real, on loopback: one responder and clients in this
 * JVM, each with its own fabric, domain, address vector, completion queue and endpoint.
 */
@Timeout(60)
class LibfabricTcpProbeTest {

  private static final LibfabricTransportConfig CONFIG = LibfabricTransportConfig.loopback();
  /**
   * 256 KiB messages: past ofi_rxm's eager limit (16 KiB), so the rendezvous path runs too;
   * 8 MiB in all, quick on a loaded 2-core machine.
   */
  private static final ProbeSpec SPEC = new ProbeSpec(8, 256 << 10, 32, Duration.ofSeconds(20));

  private static LibfabricProbeResponder responder;

  @BeforeAll
  static void startResponder() throws ProbeFailure {
    Libfabric.assumeInstalled();
    responder = LibfabricProbeResponder.start(CONFIG);
  }

  @AfterAll
  static void stopResponder() {
    if (responder != null) {
      responder.close();
      assertThat(responder.shutdown()).isDone();
      assertThat(responder.failure()).isNull();
    }
  }

  @Test
  void probeVerifiesThePayloadAndMeasuresBandwidth() throws ProbeFailure {
    long verifiedBefore = responder.messagesVerified();

    ProbeResult result = new LibfabricTcpProbe(CONFIG).probe(responder.address(), SPEC);

    assertThat(responder.provider()).isEqualTo("tcp;ofi_rxm");
    assertThat(result.bytesVerified()).isEqualTo(SPEC.totalBytes());
    assertThat(result.bytesPerSecond()).isPositive();
    assertThat(result.rtt()).isPositive().isLessThan(SPEC.deadline());
    assertThat(result.elapsed()).isLessThan(SPEC.deadline());
    assertThat(responder.messagesVerified() - verifiedBefore).isEqualTo(SPEC.messages());
  }

  @Test
  void eagerSizedMessagesAndASingleMessageWork() throws ProbeFailure {
    ProbeResult small = new LibfabricTcpProbe(CONFIG)
        .probe(responder.address(), new ProbeSpec(1, 1, 1, Duration.ofSeconds(20)));
    ProbeResult eager = new LibfabricTcpProbe(CONFIG)
        .probe(responder.address(), new ProbeSpec(2, 4096, 100, Duration.ofSeconds(20)));

    assertThat(small.bytesVerified()).isEqualTo(1);
    assertThat(eager.bytesVerified()).isEqualTo(409_600);
  }

  @Test
  void concurrentProbesAreSeparateSessionsAndAllEnd() throws Exception {
    long servedBefore = responder.sessionsServed();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      CompletableFuture<ProbeResult> first = CompletableFuture.supplyAsync(() -> probe(), pool);
      CompletableFuture<ProbeResult> second = CompletableFuture.supplyAsync(() -> probe(), pool);

      assertThat(first.get().bytesVerified()).isEqualTo(SPEC.totalBytes());
      assertThat(second.get().bytesVerified()).isEqualTo(SPEC.totalBytes());
    }
    // The verdict's send completes at the responder after the client has read it.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(responder.sessionsServed() - servedBefore).isEqualTo(2);
      assertThat(responder.sessionsOpen()).isZero();
    });
  }

  @Test
  void pingPongEchoesMessagesOfTheGivenSize() throws ProbeFailure {
    PingPongResult result = new LibfabricTcpProbe(CONFIG)
        .pingPong(responder.address(), 64 << 10, 20, Duration.ofSeconds(20));

    assertThat(result.iterations()).isEqualTo(20);
    assertThat(result.microsPerTransfer()).isPositive();
    assertThat(result.megabytesPerSecond()).isPositive();
  }

  @Test
  void corruptedMessageIsAChecksumMismatch() {
    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).withCorruptedMessage(5)
            .probe(responder.address(), SPEC));

    assertThat(failure.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
    assertThat(failure).hasMessageContaining("message 5 of 32");
  }

  @Test
  void garbagePeerAddressIsAnAddressInsertFailureWithLibfabricsText() {
    byte[] garbage = new byte[responder.address().length];
    Arrays.fill(garbage, (byte) 0xAB);

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).probe(garbage, SPEC));

    assertThat(failure.reason()).isEqualTo(FallbackReason.ADDRESS_INSERT_FAILED);
    assertThat(failure).hasMessage(
        "address_insert_failed: fi_av_insert: -99 Cannot assign requested address");
  }

  @Test
  void peerAddressOfTheWrongLengthIsRefusedBeforeLibfabricReadsIt() {
    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).probe(new byte[] {1, 2, 3}, SPEC));

    assertThat(failure.reason()).isEqualTo(FallbackReason.ADDRESS_INSERT_FAILED);
    assertThat(failure).hasMessageContaining("the peer address is 3 bytes (expected: 16");
  }

  @Test
  void peerThatNeverAnswersTimesOutWithinTheDeadline() throws Exception {
    FabricLibrary library = Libfabric.assumeInstalled();
    Duration deadline = Duration.ofSeconds(2);
    // Open and never polled: with manual progress it does not even accept the connection.
    try (RdmEndpoint silent = RdmEndpoint.open(library, "tcp", "127.0.0.1")) {
      long start = System.nanoTime();
      ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
          () -> new LibfabricTcpProbe(CONFIG)
              .probe(silent.name(), new ProbeSpec(4, 4096, 4, deadline)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure.reason()).isEqualTo(FallbackReason.PROBE_TIMEOUT);
      assertThat(failure).hasMessageContaining("(the probe's deadline is 2000 ms)");
      assertThat(took).isBetween(deadline, deadline.plusSeconds(2));
    }
  }

  @Test
  void messageLargerThanTheResponderTakesIsRefusedUpFront() {
    ProbeSpec huge = new ProbeSpec(1, CONFIG.maxMessageBytes() + 1, 1, Duration.ofSeconds(20));

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).probe(responder.address(), huge));

    assertThat(failure.reason()).isEqualTo(FallbackReason.TRANSPORT_ERROR);
    assertThat(failure).hasMessageContaining("accepts messages of up to 1048576 bytes");
  }

  @Test
  void missingLibraryIsAReasonForClientAndResponder() {
    LibfabricTransportConfig nowhere = CONFIG.withLibrary("/nonexistent/libfabric.so.1");

    ProbeFailure client = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(nowhere).probe(responder.address(), SPEC));
    ProbeFailure server = catchThrowableOfType(ProbeFailure.class,
        () -> LibfabricProbeResponder.start(nowhere));

    assertThat(client.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
    assertThat(client).hasMessageContaining("/nonexistent/libfabric.so.1");
    assertThat(server.reason()).isEqualTo(FallbackReason.LIBRARY_MISSING);
  }

  @Test
  void unknownProviderIsProviderMissing() {
    LibfabricTransportConfig none = new LibfabricTransportConfig(CONFIG.library(), "efa",
        CONFIG.node(), CONFIG.maxMessageBytes(), CONFIG.receiveDepth(),
        CONFIG.sendWindowBytes(), CONFIG.sessionTimeout());

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(none).probe(responder.address(), SPEC));

    assertThat(failure.reason()).isEqualTo(FallbackReason.PROVIDER_MISSING);
    assertThat(failure).hasMessage("provider_missing: fi_getinfo: -61 No data available");
  }

  private static ProbeResult probe() {
    try {
      return new LibfabricTcpProbe(CONFIG).probe(responder.address(), SPEC);
    } catch (ProbeFailure e) {
      throw new IllegalStateException(e);
    }
  }
}
