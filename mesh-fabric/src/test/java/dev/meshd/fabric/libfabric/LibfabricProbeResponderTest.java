package dev.meshd.fabric.libfabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.fabric.libfabric.internal.CompletionHandler;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.FiStructs;
import dev.meshd.fabric.libfabric.internal.ProbeFrame;
import dev.meshd.fabric.libfabric.internal.RdmEndpoint;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeSpec;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LibfabricProbeResponderTest {

  private static final LibfabricTransportConfig CONFIG = LibfabricTransportConfig.loopback();

  @Test
  void helloWithAnUnusableAddressIsRefusedAndServingGoesOn() throws Exception {
    FabricLibrary library = Libfabric.assumeInstalled();
    try (LibfabricProbeResponder responder = LibfabricProbeResponder.start(CONFIG);
        RdmEndpoint client = RdmEndpoint.open(library, "tcp", "127.0.0.1")) {
      // A HELLO whose return address libfabric would reject. Inserted as is, it would leave
      // ofi_rxm's address vector refusing every later peer (libfabric 1.17).
      MemorySegment hello = client.arena().allocate(ProbeFrame.HEADER_BYTES + 8 + 16);
      ProbeFrame.write(hello, ProbeFrame.HELLO, 0, 42, 0);
      ProbeFrame.setPayloadInt(hello, 0, 4096);
      ProbeFrame.setPayloadInt(hello, 4, 16);
      hello.asSlice(ProbeFrame.HEADER_BYTES + 8, 16).fill((byte) 0xAB);
      sendAndComplete(client, client.insert(responder.address()), hello);

      await().atMost(Duration.ofSeconds(10)).until(() -> responder.rejected() == 1);
      assertThat(new LibfabricTcpProbe(CONFIG)
          .probe(responder.address(), new ProbeSpec(2, 4096, 8, Duration.ofSeconds(20)))
          .bytesVerified()).isEqualTo(8 * 4096);
      assertThat(responder.isRunning()).isTrue();
    }
  }

  @Test
  void shutdownIsIdempotentAndClosesEverything() throws ProbeFailure {
    Libfabric.assumeInstalled();
    LibfabricProbeResponder responder = LibfabricProbeResponder.start(CONFIG);

    responder.close();
    responder.close();

    assertThat(responder.shutdown()).isDone();
    assertThat(responder.isRunning()).isFalse();
    assertThat(responder.failure()).isNull();
  }

  /** Posts one send and polls until it completes: ofi_rxm connects only while polled. */
  private static void sendAndComplete(RdmEndpoint client, long peer, MemorySegment frame)
      throws Exception {
    boolean[] done = {false};
    CompletionHandler handler = new CompletionHandler() {
      @Override
      public void onCompletion(long context, long flags, long length) {
        done[0] = true;
      }

      @Override
      public void onError(long context, long flags, int errno, String detail) {
        throw new AssertionError(detail);
      }
    };
    long posted;
    while ((posted = client.send(frame, frame.byteSize(), peer, 1)) == -FiStructs.FI_EAGAIN) {
      client.poll(handler);
    }
    assertThat(posted).isZero();
    // In this thread: the endpoint and its arena are confined to the thread that opened them.
    await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollInterval(Duration.ofMillis(1))
        .until(() -> client.poll(handler) >= 0 && done[0]);
  }
}
