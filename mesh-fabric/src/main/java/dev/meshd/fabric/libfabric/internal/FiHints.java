package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What meshd asks {@code fi_getinfo} for: the fields it sets in the hints that
 * {@code fi_dupinfo(NULL)} allocated (all others stay zero, meaning "any").
 *
 * @param provider {@code fabric_attr->prov_name}, e.g. {@code tcp} or {@code verbs;ofi_rxm};
 *     null for any provider
 * @param endpointType {@code ep_attr->type}; 0 ({@code FI_EP_UNSPEC}) for any
 * @param caps {@code caps}, e.g. {@link FiStructs#FI_MSG}
 * @param mode {@code mode}: the mode bits the caller can honour; 0 when it honours none
 * @param mrMode {@code domain_attr->mr_mode}: the memory-registration modes the caller
 *     supports; 0 when it registers nothing
 * @param domainMode {@code domain_attr->mode}: the domain mode bits the caller can honour
 * @param threading {@code domain_attr->threading}; 0 for the provider's default
 * @param txOpFlags {@code tx_attr->op_flags}: default flags of every transmit, e.g.
 *     {@link FiStructs#FI_DELIVERY_COMPLETE}; 0 for the provider's default
 */
// Filling hints means writing through pointers fi_dupinfo returned: restricted FFM operations.
@SuppressWarnings("restricted")
public record FiHints(String provider, int endpointType, long caps, long mode, int mrMode,
    long domainMode, int threading, long txOpFlags) {

  /**
   * Everything a provider has, whatever it demands of the caller: the hints {@code fi_info}
   * itself uses (every mode bit, every mr_mode except the pre-1.5 BASIC/SCALABLE), so that
   * discovery sees what {@code fi_info -p} would list.
   */
  public static FiHints listing(String provider) {
    return new FiHints(provider, 0, 0, ~0L, ~FiStructs.FI_MR_BASIC_OR_SCALABLE, ~0L, 0, 0);
  }

  void writeTo(MemorySegment info, Arena arena) {
    info.set(JAVA_LONG, FiStructs.offset(FiStructs.INFO, "caps"), caps);
    info.set(JAVA_LONG, FiStructs.offset(FiStructs.INFO, "mode"), mode);
    if (txOpFlags != 0) {
      pointee(info, "tx_attr", FiStructs.TX_ATTR.byteSize())
          .set(JAVA_LONG, FiStructs.offset(FiStructs.TX_ATTR, "op_flags"), txOpFlags);
    }
    MemorySegment ep = pointee(info, "ep_attr", FiStructs.EP_ATTR.byteSize());
    ep.set(JAVA_INT, FiStructs.offset(FiStructs.EP_ATTR, "type"), endpointType);
    MemorySegment domain = pointee(info, "domain_attr", FiStructs.DOMAIN_ATTR.byteSize());
    domain.set(JAVA_INT, FiStructs.offset(FiStructs.DOMAIN_ATTR, "mr_mode"), mrMode);
    domain.set(JAVA_INT, FiStructs.offset(FiStructs.DOMAIN_ATTR, "threading"), threading);
    domain.set(JAVA_LONG, FiStructs.offset(FiStructs.DOMAIN_ATTR, "mode"), domainMode);
    if (provider != null) {
      MemorySegment fabric = pointee(info, "fabric_attr", FiStructs.FABRIC_ATTR.byteSize());
      fabric.set(ADDRESS, FiStructs.offset(FiStructs.FABRIC_ATTR, "prov_name"),
          arena.allocateFrom(provider));
    }
  }

  /** Takes out the strings {@link #writeTo} set, so that fi_freeinfo does not free them. */
  static void clearStrings(MemorySegment info) {
    MemorySegment fabric = info.get(ADDRESS, FiStructs.offset(FiStructs.INFO, "fabric_attr"));
    if (!fabric.equals(MemorySegment.NULL)) {
      fabric.reinterpret(FiStructs.FABRIC_ATTR.byteSize())
          .set(ADDRESS, FiStructs.offset(FiStructs.FABRIC_ATTR, "prov_name"), MemorySegment.NULL);
    }
  }

  private static MemorySegment pointee(MemorySegment info, String field, long size) {
    MemorySegment pointer = info.get(ADDRESS, FiStructs.offset(FiStructs.INFO, field));
    if (pointer.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("fi_dupinfo(NULL) left " + field + " NULL");
    }
    return pointer.reinterpret(size);
  }
}
