package dev.meshd.fabric.libfabric.internal;

import java.lang.foreign.MemorySegment;

/**
 * One registered memory region of an {@link RdmEndpoint}, as a peer or a local operation needs
 * it. The region itself ({@code fid_mr}) is closed with the endpoint, before it.
 *
 * @param buffer the registered memory
 * @param descriptor {@code fi_mr_desc}: what local operations on it pass under
 *     {@code FI_MR_LOCAL} (see {@link ProviderDemands#descriptor})
 * @param key the key peers use: the provider's ({@code fi_mr_key}) under
 *     {@code FI_MR_PROV_KEY}, else the one requested
 * @param targetBase the address a peer writes byte 0 of the region at: its virtual address
 *     under {@code FI_MR_VIRT_ADDR}, else 0
 */
public record MemoryRegion(MemorySegment buffer, MemorySegment descriptor, long key,
    long targetBase) {

  /** The address a peer writes byte {@code offset} of this region at. */
  public long targetAddress(long offset) {
    return targetBase + offset;
  }
}
