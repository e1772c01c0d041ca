package dev.meshd.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.security.ClusterKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class RecordEnvelopeTest {

  private final ClusterKey key = ClusterKey.generate(new SecureRandom());
  private final byte[] payload = "{\"nodeId\":\"n1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signedPayloadOpensWithTheSameKey() {
    RecordEnvelope envelope = RecordEnvelope.signed(key);
    RecordEnvelope.Opened opened = envelope.open(envelope.seal(payload));
    assertThat(opened.rejection()).isEmpty();
    assertThat(opened.payload()).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
  }

  @Test
  void anotherKeyIsRejected() {
    byte[] sealed = RecordEnvelope.signed(key).seal(payload);
    RecordEnvelope other = RecordEnvelope.signed(ClusterKey.generate(new SecureRandom()));
    assertThat(other.open(sealed).rejection()).contains(RejectionReason.BAD_MAC);
  }

  @Test
  void tamperedPayloadIsRejected() {
    RecordEnvelope envelope = RecordEnvelope.signed(key);
    byte[] sealed = envelope.seal(payload);
    sealed[sealed.length - 2] ^= 1;
    assertThat(envelope.open(sealed).rejection()).contains(RejectionReason.BAD_MAC);
  }

  @Test
  void unsignedAndSignedFleetsRefuseEachOther() {
    byte[] unsignedSealed = RecordEnvelope.unsigned().seal(payload);
    byte[] signedSealed = RecordEnvelope.signed(key).seal(payload);
    assertThat(RecordEnvelope.signed(key).open(unsignedSealed).rejection())
        .contains(RejectionReason.BAD_MAC);
    assertThat(RecordEnvelope.unsigned().open(signedSealed).rejection())
        .contains(RejectionReason.UNEXPECTED_MAC);
    assertThat(RecordEnvelope.unsigned().open(unsignedSealed).payload()).isPresent();
  }

  @Test
  void truncatedOrForeignBytesAreMalformed() {
    RecordEnvelope envelope = RecordEnvelope.signed(key);
    byte[] sealed = envelope.seal(payload);
    assertThat(envelope.open(java.util.Arrays.copyOf(sealed, 10)).rejection())
        .contains(RejectionReason.MALFORMED);
    assertThat(envelope.open(new byte[] {1, 2}).rejection()).contains(RejectionReason.MALFORMED);
    assertThat(envelope.open(payload).rejection()).contains(RejectionReason.MALFORMED);
  }
}
