package dev.meshd.gossip;

import dev.meshd.core.capability.CapabilityRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns member metadata from gossip into a trusted {@link CapabilityRecord}, or drops it.
 *
 * <p>A record is accepted only when its envelope authenticates under this fleet's key, it
 * decodes, and it describes the gossip address of the member that served it. Every drop is
 * counted in {@code meshd_gossip_records_rejected_total{reason}} and logged once per sender and
 * reason, so a misconfigured or hostile peer cannot flood the log. Thread-safe.
 */
final class RecordAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(RecordAuthenticator.class);

  private final RecordEnvelope envelope;
  private final RecordCodec codec;
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
  private final Set<String> loggedSenders = ConcurrentHashMap.newKeySet();

  RecordAuthenticator(RecordEnvelope envelope, RecordCodec codec, MeterRegistry registry) {
    this.envelope = envelope;
    this.codec = codec;
    for (RejectionReason reason : RejectionReason.values()) {
      rejected.put(
          reason,
          Counter.builder("meshd.gossip.records.rejected")
              .description("Gossiped capability records dropped before use")
              .tag("reason", reason.label())
              .register(registry));
    }
  }

  /** The record that {@code senderAddress} published, if it is authentic. */
  Optional<CapabilityRecord> authenticate(String senderAddress, ByteBuffer metadata) {
    if (metadata == null || !metadata.hasRemaining()) {
      return reject(senderAddress, RejectionReason.MALFORMED, "no metadata");
    }
    byte[] bytes = new byte[metadata.remaining()];
    metadata.duplicate().get(bytes);
    RecordEnvelope.Opened opened = envelope.open(bytes);
    if (opened.rejection().isPresent()) {
      return reject(senderAddress, opened.rejection().get(), "failed authentication");
    }
    CapabilityRecord record;
    try {
      record = codec.decode(opened.payload().orElseThrow());
    } catch (IllegalArgumentException e) {
      return reject(senderAddress, RejectionReason.MALFORMED, e.getMessage());
    }
    if (!sameAddress(record.gossipAddress(), senderAddress)) {
      return reject(senderAddress, RejectionReason.ADDRESS_MISMATCH,
          "record of " + record.nodeId() + " claims gossip address " + record.gossipAddress());
    }
    return Optional.of(record);
  }

  /** Records dropped so far, all reasons. */
  long rejectedCount() {
    return rejected.values().stream().mapToLong(c -> (long) c.count()).sum();
  }

  private Optional<CapabilityRecord> reject(String sender, RejectionReason reason, String why) {
    rejected.get(reason).increment();
    if (loggedSenders.add(sender + "/" + reason)) {
      LOG.warn("gossip: dropped record from {}: {} ({}); further drops from it are only counted "
          + "in meshd_gossip_records_rejected_total", sender, reason.label(), why);
    }
    return Optional.empty();
  }

  private static boolean sameAddress(String recordAddress, String memberAddress) {
    return strip(recordAddress).equals(strip(memberAddress));
  }

  private static String strip(String address) {
    return address.replace("[", "").replace("]", "");
  }
}
