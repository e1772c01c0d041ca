package dev.meshd.gossip;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.meshd.core.capability.CapabilityRecord;
import java.io.IOException;

/**
 * Capability records as JSON bytes (never Java serialization).
 *
 * <p>Unknown fields are ignored so that agents of adjacent versions can read each other's
 * records. Thread-safe.
 */
public final class RecordCodec {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public byte[] encode(CapabilityRecord record) {
    try {
      return mapper.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new IllegalStateException("capability record is not serializable", e);
    }
  }

  /**
   * Decodes a record.
   *
   * @throws IllegalArgumentException when the bytes are not a valid record
   */
  public CapabilityRecord decode(byte[] bytes) {
    try {
      return mapper.readValue(bytes, CapabilityRecord.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a capability record: " + e.getMessage(), e);
    }
  }
}
