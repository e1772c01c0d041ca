package dev.meshd.gossip;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.meshd.core.capability.CapabilityRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Capability records as JSON bytes (never Java serialization).
 *
 * <p>So that agents of adjacent schema versions read each other's records: unknown fields are
 * ignored (a newer writer's additions), and a list, set or map the writer did not send reads as
 * empty (an older writer lacks what was added since), as does a null one. Only record
 * components are written: derived {@code isX()} methods ({@code RdmaPort.isActive()}) are not
 * fields. An empty {@code Optional} is left out. Thread-safe.
 */
public final class RecordCodec {

  private static final JsonSetter.Value NULL_AS_EMPTY =
      JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY);

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          .withConfigOverride(List.class, o -> o.setSetterInfo(NULL_AS_EMPTY))
          .withConfigOverride(Set.class, o -> o.setSetterInfo(NULL_AS_EMPTY))
          .withConfigOverride(Map.class, o -> o.setSetterInfo(NULL_AS_EMPTY))
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
