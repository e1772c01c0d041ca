package dev.meshd.fabric.libfabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RMA probe for real on loopback over {@code tcp;ofi_rxm}, which supports {@code FI_RMA}:
 * the same code the {@code rdma} transport runs on verbs or EFA (registration, remote key and
 * address, {@code fi_write}, completion, CRC32C of the written slot), with a provider that
 * demands none of the mode or mr_mode bits.
 */
@Timeout(60)
class LibfabricRmaProbeTest {

  private static final LibfabricTransportConfig CONFIG = LibfabricTransportConfig.loopback();
  /** 256 KiB messages, past ofi_rxm's eager limit, 32 of them: 8 MiB. */
  private static final ProbeSpec SPEC = new ProbeSpec(8, 256 << 10, 32, Duration.ofSeconds(20));

  private LibfabricProbeResponder responder;

  @BeforeEach
  void startResponder() throws ProbeFailure {
    Libfabric.assumeInstalled();
    responder = LibfabricProbeResponder.startRma(CONFIG);
  }

  @AfterEach
  void stopResponder() {
    if (responder != null) {
      responder.close();
      assertThat(responder.failure()).isNull();
    }
  }

  @Test
  void writesArePlacedInTheRegisteredRegionAndVerified() throws ProbeFailure {
    RemoteTarget target = responder.target().orElseThrow();

    ProbeResult result = new LibfabricTcpProbe(CONFIG)
        .probeRma(responder.address(), target, SPEC);

    assertThat(responder.provider()).isEqualTo("tcp;ofi_rxm");
    // tcp;ofi_rxm demands neither FI_MR_VIRT_ADDR nor FI_MR_PROV_KEY: offsets, our own key.
    assertThat(target.base()).isZero();
    assertThat(target.key()).isEqualTo(1);
    assertThat(target.slotBytes()).isEqualTo(CONFIG.maxMessageBytes());
    assertThat(result.bytesVerified()).isEqualTo(SPEC.totalBytes());
    assertThat(result.bytesPerSecond()).isPositive();
    assertThat(result.rtt()).isPositive().isLessThan(SPEC.deadline());
    assertThat(responder.messagesVerified()).isEqualTo(SPEC.messages());
  }

  @Test
  void smallAndSingleMessagesWork() throws ProbeFailure {
    RemoteTarget target = responder.target().orElseThrow();

    ProbeResult one = new LibfabricTcpProbe(CONFIG)
        .probeRma(responder.address(), target, new ProbeSpec(1, 1, 1, Duration.ofSeconds(20)));
    ProbeResult eager = new LibfabricTcpProbe(CONFIG).probeRma(responder.address(), target,
        new ProbeSpec(2, 4096, 100, Duration.ofSeconds(20)));

    assertThat(one.bytesVerified()).isEqualTo(1);
    assertThat(eager.bytesVerified()).isEqualTo(409_600);
  }

  @Test
  void aCorruptedWriteIsAChecksumMismatchFoundInTheRegion() {
    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).withCorruptedMessage(5)
            .probeRma(responder.address(), responder.target().orElseThrow(), SPEC));

    assertThat(failure.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
    assertThat(failure).hasMessageContaining("RMA message 5 of 32");
  }

  @Test
  void aWrongRemoteKeyFailsTheWriteInsteadOfLandingAnywhere() {
    RemoteTarget target = responder.target().orElseThrow();
    RemoteTarget wrongKey = new RemoteTarget(target.key() + 41, target.base(),
        target.slotBytes(), target.slots());

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).probeRma(responder.address(), wrongKey,
            new ProbeSpec(1, 4096, 4, Duration.ofSeconds(5))));

    assertThat(failure.reason())
        .isIn(FallbackReason.TRANSPORT_ERROR, FallbackReason.PROBE_TIMEOUT);
    assertThat(responder.messagesVerified()).isZero();
  }

  @Test
  void aMessageLargerThanASlotIsRefusedBeforeAnyWrite() {
    RemoteTarget target = responder.target().orElseThrow();
    ProbeSpec huge = new ProbeSpec(1, target.slotBytes() + 1, 1, Duration.ofSeconds(20));

    ProbeFailure failure = catchThrowableOfType(ProbeFailure.class,
        () -> new LibfabricTcpProbe(CONFIG).probeRma(responder.address(), target, huge));

    assertThat(failure.reason()).isEqualTo(FallbackReason.TRANSPORT_ERROR);
  }
}
