package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The list {@code fi_getinfo} returned, owned until {@link #close()} hands it to
 * {@code fi_freeinfo}. Confined to the thread that called {@code fi_getinfo}; close it exactly
 * once (later calls do nothing).
 */
@SuppressWarnings("restricted")
public final class FiInfoList implements AutoCloseable {

  /** A list longer than this is cut: a real one has tens of entries, never thousands. */
  private static final int MAX_ENTRIES = 4096;

  private final FabricLibrary library;
  private MemorySegment head;

  FiInfoList(FabricLibrary library, MemorySegment head) {
    this.library = library;
    this.head = head;
  }

  /** The first entry's {@code struct fi_info *}, to open a fabric, domain and endpoint with. */
  public MemorySegment first() {
    if (head == null || head.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("fi_getinfo returned an empty list or it was freed");
    }
    return head.reinterpret(FiStructs.INFO.byteSize());
  }

  /** Every entry, in libfabric's order (its preference). */
  public List<FiInfoEntry> entries() {
    List<FiInfoEntry> entries = new ArrayList<>();
    MemorySegment next = head == null ? MemorySegment.NULL : head;
    while (!next.equals(MemorySegment.NULL) && entries.size() < MAX_ENTRIES) {
      MemorySegment info = next.reinterpret(FiStructs.INFO.byteSize());
      entries.add(read(info));
      next = info.get(ADDRESS, FiStructs.offset(FiStructs.INFO, "next"));
    }
    return entries;
  }

  /** The entry at {@code info}. */
  public static FiInfoEntry read(MemorySegment info) {
    MemorySegment fabric = attr(info, "fabric_attr", FiStructs.FABRIC_ATTR.byteSize());
    MemorySegment domain = attr(info, "domain_attr", FiStructs.DOMAIN_ATTR.byteSize());
    MemorySegment ep = attr(info, "ep_attr", FiStructs.EP_ATTR.byteSize());
    return new FiInfoEntry(
        FabricLibrary.string(
            fabric.get(ADDRESS, FiStructs.offset(FiStructs.FABRIC_ATTR, "prov_name"))),
        FabricLibrary.string(fabric.get(ADDRESS, FiStructs.offset(FiStructs.FABRIC_ATTR, "name"))),
        FabricLibrary.string(domain.get(ADDRESS, FiStructs.offset(FiStructs.DOMAIN_ATTR, "name"))),
        FiStructs.endpointTypeName(ep.get(JAVA_INT, FiStructs.offset(FiStructs.EP_ATTR, "type"))),
        info.get(JAVA_LONG, FiStructs.offset(FiStructs.INFO, "mode")),
        domain.get(JAVA_INT, FiStructs.offset(FiStructs.DOMAIN_ATTR, "mr_mode")));
  }

  /** The struct {@code info->field} points to; NULL would crash the JVM on the first read. */
  private static MemorySegment attr(MemorySegment info, String field, long size) {
    MemorySegment pointer = info.get(ADDRESS, FiStructs.offset(FiStructs.INFO, field));
    if (pointer.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("fi_getinfo returned an entry whose " + field + " is NULL");
    }
    return pointer.reinterpret(size);
  }

  @Override
  public void close() {
    if (head != null) {
      MemorySegment freed = head;
      head = null;
      library.freeinfo(freed);
    }
  }
}
