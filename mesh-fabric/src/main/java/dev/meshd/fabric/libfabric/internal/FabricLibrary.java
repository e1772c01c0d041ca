package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Hand-written FFM binding of the functions {@code libfabric.so.1} exports that meshd calls:
 * {@code fi_getinfo}, {@code fi_freeinfo}, {@code fi_dupinfo}, {@code fi_fabric},
 * {@code fi_strerror} and {@code fi_version} (jextract is not on Maven Central). Everything
 * else libfabric offers ({@code fi_domain}, {@code fi_endpoint}, {@code fi_send}, ...) is a
 * static inline in the headers that calls through the ops tables of the objects; those calls
 * are in {@link FidOps}.
 *
 * <p>Symbols resolve through {@code dlsym}, which picks the default symbol version
 * ({@code fi_getinfo@@FABRIC_1.3}): the ABI whose struct layouts {@link FiStructs} describes.
 *
 * <p>Thread-safe: the exported functions are thread-safe in libfabric, and this class holds no
 * mutable state. A library once loaded stays loaded for the life of the JVM (it is cached per
 * name; providers keep global state that is not worth tearing down).
 */
// Loading a library, binding functions and reading native pointers are restricted FFM
// operations: that is the point of this class, and the launchers pass
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class FabricLibrary {

  /** The soname Debian's {@code libfabric1} installs and the dynamic loader finds. */
  public static final String DEFAULT_NAME = "libfabric.so.1";

  /** Longest C string read from libfabric (names, error texts); real ones are far shorter. */
  static final long MAX_STRING_BYTES = 4096;

  private static final ConcurrentMap<String, FabricLibrary> LOADED = new ConcurrentHashMap<>();

  private static final Linker LINKER = Linker.nativeLinker();

  private final String name;
  private final MethodHandle getinfo;
  private final MethodHandle freeinfo;
  private final MethodHandle dupinfo;
  private final MethodHandle fabric;
  private final MethodHandle strerror;
  private final int runtimeVersion;
  private final List<Integer> restoredSignals;

  private FabricLibrary(String name, SymbolLookup lookup, List<Integer> restoredSignals)
      throws LibraryUnavailableException {
    this.name = name;
    this.restoredSignals = restoredSignals;
    this.getinfo = bind(lookup, "fi_getinfo", FunctionDescriptor.of(
        JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    this.freeinfo = bind(lookup, "fi_freeinfo", FunctionDescriptor.ofVoid(ADDRESS));
    this.dupinfo = bind(lookup, "fi_dupinfo", FunctionDescriptor.of(ADDRESS, ADDRESS));
    this.fabric = bind(lookup, "fi_fabric",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    this.strerror = bind(lookup, "fi_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    MethodHandle version = bind(lookup, "fi_version", FunctionDescriptor.of(JAVA_INT));
    try {
      this.runtimeVersion = (int) version.invokeExact();
    } catch (Throwable t) {
      throw new LibraryUnavailableException(name + ": fi_version failed: " + t, t);
    }
  }

  /**
   * The binding of {@code nameOrPath}, loading it on first use.
   *
   * @param nameOrPath a name the dynamic loader searches for ({@link #DEFAULT_NAME}) or a path
   *     containing {@code /}
   * @throws LibraryUnavailableException it cannot be loaded or lacks a function
   */
  public static FabricLibrary load(String nameOrPath) throws LibraryUnavailableException {
    Objects.requireNonNull(nameOrPath, "nameOrPath");
    FabricLibrary loaded = LOADED.get(nameOrPath);
    if (loaded != null) {
      return loaded;
    }
    SignalGuard.Guarded<SymbolLookup> lookup;
    try {
      // The global arena: the library stays mapped for the JVM's life (see the class comment).
      lookup = SignalGuard.load(() -> nameOrPath.contains("/")
          ? SymbolLookup.libraryLookup(Path.of(nameOrPath), Arena.global())
          : SymbolLookup.libraryLookup(nameOrPath, Arena.global()));
    } catch (IllegalArgumentException | IllegalCallerException e) {
      throw new LibraryUnavailableException("cannot load " + nameOrPath + ": " + e.getMessage(),
          e);
    }
    FabricLibrary library =
        new FabricLibrary(nameOrPath, lookup.value(), lookup.restoredSignals());
    FabricLibrary raced = LOADED.putIfAbsent(nameOrPath, library);
    return raced == null ? library : raced;
  }

  /** The name or path it was loaded from. */
  public String name() {
    return name;
  }

  /**
   * Signals whose handlers loading the library replaced and {@link SignalGuard} put back
   * (normally none: see there).
   */
  public List<Integer> restoredSignals() {
    return restoredSignals;
  }

  /** {@code fi_version()}: the library's own API version, e.g. {@code FI_VERSION(1, 17)}. */
  public int runtimeVersion() {
    return runtimeVersion;
  }

  /**
   * The API version meshd asks for: 1.17, the headers its layouts were transcribed from, or the
   * library's own when it is older (libfabric refuses a version newer than itself).
   */
  public int apiVersion() {
    return Math.min(runtimeVersion, FiStructs.FI_VERSION_1_17);
  }

  /** {@code fi_strerror(errno)}; {@code errno} positive, as in {@code fi_errno.h}. */
  public String strerror(int errno) {
    MemorySegment text;
    try {
      text = (MemorySegment) strerror.invokeExact(Math.abs(errno));
    } catch (Throwable t) {
      throw new IllegalStateException("fi_strerror: " + t, t);
    }
    return text.equals(MemorySegment.NULL) ? "error " + errno : string(text);
  }

  /**
   * {@code fi_getinfo(apiVersion(), node, NULL, flags, hints, &info)} with hints from
   * {@code fi_dupinfo(NULL)} ({@code fi_allocinfo} is a macro), filled from {@code hints}.
   *
   * @throws FabricCallException libfabric's error, e.g. -61 when no provider matches
   */
  public FiInfoList getinfo(String node, long flags, FiHints hints)
      throws FabricCallException {
    Objects.requireNonNull(hints, "hints");
    MemorySegment hintInfo = dupinfo(MemorySegment.NULL);
    if (hintInfo.equals(MemorySegment.NULL)) {
      throw new FabricCallException("fi_dupinfo", 12, strerror(12));
    }
    try (Arena call = Arena.ofConfined()) {
      // Strings for the hints live in this arena, not libfabric's heap: they are taken out
      // again before fi_freeinfo, which would otherwise free() memory it did not allocate.
      hints.writeTo(hintInfo.reinterpret(FiStructs.INFO.byteSize()), call);
      MemorySegment nodeText = node == null ? MemorySegment.NULL : call.allocateFrom(node);
      MemorySegment result = call.allocate(ADDRESS);
      int rc = (int) getinfo.invokeExact(apiVersion(), nodeText, MemorySegment.NULL, flags,
          hintInfo, result);
      if (rc != 0) {
        throw new FabricCallException("fi_getinfo", -rc, strerror(-rc));
      }
      return new FiInfoList(this, result.get(ADDRESS, 0));
    } catch (FabricCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_getinfo: " + t, t);
    } finally {
      FiHints.clearStrings(hintInfo.reinterpret(FiStructs.INFO.byteSize()));
      freeinfo(hintInfo);
    }
  }

  /** {@code fi_fabric(info->fabric_attr, &fabric, NULL)}: the fabric object of one result. */
  public MemorySegment openFabric(MemorySegment info, Arena arena) throws FabricCallException {
    MemorySegment attr = info.reinterpret(FiStructs.INFO.byteSize())
        .get(ADDRESS, FiStructs.offset(FiStructs.INFO, "fabric_attr"));
    MemorySegment out = arena.allocate(ADDRESS);
    int rc;
    try {
      rc = (int) fabric.invokeExact(attr, out, MemorySegment.NULL);
    } catch (Throwable t) {
      throw new IllegalStateException("fi_fabric: " + t, t);
    }
    if (rc != 0) {
      throw new FabricCallException("fi_fabric", -rc, strerror(-rc));
    }
    return out.get(ADDRESS, 0);
  }

  /** {@code fi_freeinfo(info)}; NULL is ignored. */
  void freeinfo(MemorySegment info) {
    if (info.equals(MemorySegment.NULL)) {
      return;
    }
    try {
      freeinfo.invokeExact(info);
    } catch (Throwable t) {
      throw new IllegalStateException("fi_freeinfo: " + t, t);
    }
  }

  private MemorySegment dupinfo(MemorySegment info) {
    try {
      return (MemorySegment) dupinfo.invokeExact(info);
    } catch (Throwable t) {
      throw new IllegalStateException("fi_dupinfo: " + t, t);
    }
  }

  /** A NUL-terminated C string libfabric owns, read up to {@link #MAX_STRING_BYTES}. */
  static String string(MemorySegment pointer) {
    if (pointer.equals(MemorySegment.NULL)) {
      return "";
    }
    MemorySegment text = pointer.reinterpret(MAX_STRING_BYTES);
    long length = 0;
    // Byte by byte: a bulk scan could read past the NUL into unmapped memory.
    while (length < MAX_STRING_BYTES && text.get(ValueLayout.JAVA_BYTE, length) != 0) {
      length++;
    }
    return new String(text.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
        StandardCharsets.UTF_8);
  }

  private static MethodHandle bind(SymbolLookup lookup, String function,
      FunctionDescriptor descriptor) throws LibraryUnavailableException {
    MemorySegment symbol = lookup.find(function).orElse(null);
    if (symbol == null) {
      throw new LibraryUnavailableException(
          function + " is missing (expected: a libfabric 1.x library)", null);
    }
    return LINKER.downcallHandle(symbol, descriptor);
  }

  @Override
  public String toString() {
    return "FabricLibrary[" + name + ", " + FiStructs.versionText(runtimeVersion) + "]";
  }
}
