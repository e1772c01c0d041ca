package dev.meshd.fabric.probe;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The bytes a probe sends: deterministic per (seed, sequence), so that a receiver could
 * regenerate them, and incompressible, so that no layer can shortcut the transfer. Stateless and
 * thread-safe.
 */
public final class ProbePayload {
  private ProbePayload() {}

  /** Fills {@code target} from its position to its limit with message {@code sequence}'s bytes. */
  public static void fill(ByteBuffer target, long seed, long sequence) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sequence);
    while (target.remaining() >= Long.BYTES) {
      target.putLong(random.nextLong());
    }
    while (target.hasRemaining()) {
      target.put((byte) random.nextInt());
    }
  }

  /** CRC32C of the bytes from {@code buffer}'s position to its limit; the buffer is not moved. */
  public static int crc32c(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate());
    return (int) crc.getValue();
  }
}
