package dev.meshd.gossip.internal;

import io.scalecube.cluster.metadata.MetadataCodec;
import java.nio.ByteBuffer;

/**
 * Passes metadata through as bytes: meshd seals and encodes records itself (see
 * {@code RecordEnvelope}), so scalecube never deserializes anything a peer sent.
 */
public final class BytesMetadataCodec implements MetadataCodec {

  @Override
  public Object deserialize(ByteBuffer buffer) {
    if (buffer == null || !buffer.hasRemaining()) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  @Override
  public ByteBuffer serialize(Object metadata) {
    return metadata == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap((byte[]) metadata);
  }
}
