package dev.meshd.fabric.libfabric.internal;

/**
 * A peer's registered region as the RMA probe writes into it: {@code slots} slots of {@code
 * slotBytes} each, one message per slot. Published by the responder (in the RDMA transport's
 * answer), used by the client's {@code fi_write}s.
 *
 * @param key the region's key, as its owner's provider demands ({@link ProviderDemands#key})
 * @param base the address to write slot 0 at: the region's virtual address under
 *     {@code FI_MR_VIRT_ADDR}, else 0 ({@link ProviderDemands#targetAddress})
 * @param slotBytes bytes per slot: the largest message the responder takes
 * @param slots messages that may be in flight at once
 */
public record RemoteTarget(long key, long base, int slotBytes, int slots) {

  public RemoteTarget {
    if (slotBytes < 1 || slots < 1) {
      throw new IllegalArgumentException(
          "slotBytes: " + slotBytes + ", slots: " + slots + " (expected: >= 1 each)");
    }
  }

  /** Where slot {@code slot} starts, as {@code fi_write}'s {@code addr}. */
  public long slotAddress(int slot) {
    return base + (long) slot * slotBytes;
  }

  /** Bytes of the whole region. */
  public long regionBytes() {
    return (long) slotBytes * slots;
  }
}
