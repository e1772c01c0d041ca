package dev.meshd.fabric.libfabric.internal;

import java.lang.foreign.MemorySegment;

/**
 * What a provider demands of its caller, as {@code fi_getinfo} answered it: the {@code mode}
 * bits of the chosen {@code fi_info} and its {@code domain_attr->mr_mode}; and the decisions
 * that follow from them, as pure functions, so that each rule is tested without a provider
 * that has it (no provider here demands any of them).
 *
 * <ul>
 *   <li>{@code FI_CONTEXT2} / {@code FI_CONTEXT}: every operation's context must point to a
 *       {@code fi_context2} (64 bytes) / {@code fi_context} (32 bytes) that the provider may
 *       write, alive until the operation's completion is read ({@link #contextBytes()}).
 *   <li>{@code FI_MR_LOCAL}: local buffers must be registered, and their descriptor
 *       ({@code fi_mr_desc}) passed with each operation ({@link #descriptor}).
 *   <li>{@code FI_MR_VIRT_ADDR}: a peer addresses a region by its virtual address; otherwise
 *       by the offset from the region's start ({@link #targetAddress}).
 *   <li>{@code FI_MR_PROV_KEY}: the provider chooses the key, read back with
 *       {@code fi_mr_key}; otherwise the caller's requested key is the key ({@link #key}).
 *   <li>{@code FI_MR_ENDPOINT}: a region is bound to the endpoint ({@code fi_mr_bind}) and
 *       enabled ({@code fi_mr_enable}) before use ({@link #bindToEndpoint()}).
 *   <li>{@code FI_MR_ALLOCATED}: only memory backed by pages may be registered. meshd's buffers
 *       are FFM allocations, which are zero-filled (touched) when allocated, so it always holds.
 * </ul>
 *
 * @param mode {@code fi_info->mode}
 * @param mrMode {@code fi_info->domain_attr->mr_mode}
 */
public record ProviderDemands(long mode, int mrMode) {

  /** Demands nothing: what {@code tcp;ofi_rxm} answers. */
  public static ProviderDemands none() {
    return new ProviderDemands(0, 0);
  }

  /** The mode bits meshd honours when asked to: the context structs. */
  public static final long HONOURED_MODE = FiStructs.FI_CONTEXT | FiStructs.FI_CONTEXT2;

  /** The mr_mode bits meshd honours when it registers memory. */
  public static final int HONOURED_MR_MODE = FiStructs.FI_MR_LOCAL | FiStructs.FI_MR_VIRT_ADDR
      | FiStructs.FI_MR_ALLOCATED | FiStructs.FI_MR_PROV_KEY | FiStructs.FI_MR_ENDPOINT;

  /**
   * Bytes of the context struct each operation must point to: 64 for {@code FI_CONTEXT2}, 32
   * for {@code FI_CONTEXT}, 0 when the context is an opaque value the provider only hands back.
   */
  public int contextBytes() {
    if ((mode & FiStructs.FI_CONTEXT2) != 0) {
      return FiStructs.FI_CONTEXT2_BYTES;
    }
    if ((mode & FiStructs.FI_CONTEXT) != 0) {
      return FiStructs.FI_CONTEXT_BYTES;
    }
    return 0;
  }

  /** Whether local buffers must be registered and their descriptors passed. */
  public boolean localDescriptors() {
    return (mrMode & FiStructs.FI_MR_LOCAL) != 0 || (mode & FiStructs.FI_LOCAL_MR) != 0;
  }

  /** Whether a peer addresses a region by virtual address (else by offset). */
  public boolean virtualAddresses() {
    return (mrMode & FiStructs.FI_MR_VIRT_ADDR) != 0;
  }

  /** Whether the provider chooses the keys. */
  public boolean providerKeys() {
    return (mrMode & FiStructs.FI_MR_PROV_KEY) != 0;
  }

  /** Whether a region must be bound to the endpoint and enabled. */
  public boolean bindToEndpoint() {
    return (mrMode & FiStructs.FI_MR_ENDPOINT) != 0;
  }

  /** Bits of {@code mrMode} meshd does not honour (raw keys, MMU notify, ...); 0 normally. */
  public int unhonouredMrMode() {
    return mrMode & ~HONOURED_MR_MODE & ~FiStructs.FI_MR_BASIC_OR_SCALABLE;
  }

  /**
   * The {@code desc} argument of an operation on a local buffer registered as {@code
   * registered}: its {@code fi_mr_desc} under {@code FI_MR_LOCAL}, else NULL (a provider that
   * does not ask for descriptors may not expect one).
   */
  public MemorySegment descriptor(MemorySegment registered) {
    return localDescriptors() && registered != null ? registered : MemorySegment.NULL;
  }

  /**
   * The address a peer passes to {@code fi_write} for byte {@code offset} of a region that
   * starts at virtual address {@code regionStart}.
   */
  public long targetAddress(long regionStart, long offset) {
    return virtualAddresses() ? regionStart + offset : offset;
  }

  /**
   * The region's key as peers must use it: {@code fi_mr_key}'s answer under
   * {@code FI_MR_PROV_KEY}, else the key that was requested at registration.
   */
  public long key(long providerKey, long requestedKey) {
    return providerKeys() ? providerKey : requestedKey;
  }
}
