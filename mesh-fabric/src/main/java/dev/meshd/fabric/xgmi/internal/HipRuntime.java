package dev.meshd.fabric.xgmi.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.meshd.fabric.peercopy.internal.IntDowncall;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Hand-written FFM binding of the few HIP runtime functions the XGMI probe uses ({@code
 * libamdhip64.so}). Signatures are those of {@code hip_runtime_api.h} on 64-bit Linux: {@code
 * hipError_t} and {@code hipMemcpyKind} are C enums ({@code int}), devices are {@code int}
 * ordinals, device pointers are {@code void*} and {@code size_t} is 64-bit. Each method maps one
 * call and turns a non-zero {@code hipError_t} into a {@link HipException} carrying {@code
 * hipGetErrorString}'s text.
 *
 * <p>Thread-safety: the handles are immutable and the runtime is thread-safe, but the current
 * device ({@link #setDevice}) is per thread; a probe makes all its calls from one thread. The
 * library stays loaded while this object is reachable ({@link Arena#ofAuto()}).
 */
// Loading a library and binding its functions are restricted FFM operations: that is the point
// of this class, and the launchers pass --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class HipRuntime {

  /** {@code hipMemcpyHostToDevice}. */
  static final int MEMCPY_HOST_TO_DEVICE = 1;
  /** {@code hipMemcpyDeviceToHost}. */
  static final int MEMCPY_DEVICE_TO_HOST = 2;
  /** {@code HSA_AMD_LINK_INFO_TYPE_PCIE}, a link type {@link #linkType} may answer. */
  public static final int LINK_TYPE_PCIE = 2;
  /** {@code HSA_AMD_LINK_INFO_TYPE_XGMI}: Infinity Fabric between the two GPUs. */
  public static final int LINK_TYPE_XGMI = 4;
  /** Room for {@code hipDeviceGetPCIBusId}'s "dddd:bb:dd.f" and more, with its NUL. */
  private static final int PCI_BUS_ID_BYTES = 64;

  private final String name;
  /** Held so that the library stays loaded as long as this binding is reachable. */
  private final Arena arena;
  private final MethodHandle hipInit;
  private final MethodHandle hipGetDeviceCount;
  private final MethodHandle hipDeviceGetPCIBusId;
  private final MethodHandle hipDeviceCanAccessPeer;
  private final MethodHandle hipExtGetLinkTypeAndHopCount;
  private final MethodHandle hipSetDevice;
  private final MethodHandle hipDeviceEnablePeerAccess;
  private final MethodHandle hipDeviceDisablePeerAccess;
  private final MethodHandle hipDeviceSynchronize;
  private final MethodHandle hipMalloc;
  private final MethodHandle hipFree;
  private final MethodHandle hipMemcpy;
  private final MethodHandle hipMemcpyPeer;
  private final MethodHandle hipGetErrorString;

  private HipRuntime(String name, Arena arena, SymbolLookup lookup) throws HipException {
    this.name = name;
    this.arena = arena;
    hipInit = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT), "hipInit");
    hipGetDeviceCount = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS),
        "hipGetDeviceCount");
    hipDeviceGetPCIBusId = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "hipDeviceGetPCIBusId");
    hipDeviceCanAccessPeer = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "hipDeviceCanAccessPeer");
    hipExtGetLinkTypeAndHopCount = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
        "hipExtGetLinkTypeAndHopCount");
    hipSetDevice = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT), "hipSetDevice");
    hipDeviceEnablePeerAccess = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
        "hipDeviceEnablePeerAccess");
    hipDeviceDisablePeerAccess = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT),
        "hipDeviceDisablePeerAccess");
    hipDeviceSynchronize = bind(lookup, FunctionDescriptor.of(JAVA_INT), "hipDeviceSynchronize");
    hipMalloc = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), "hipMalloc");
    hipFree = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS), "hipFree");
    hipMemcpy = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), "hipMemcpy");
    hipMemcpyPeer = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
        JAVA_INT, JAVA_LONG), "hipMemcpyPeer");
    hipGetErrorString = bind(lookup, FunctionDescriptor.of(ADDRESS, JAVA_INT),
        "hipGetErrorString");
  }

  /**
   * Loads the library and binds every function.
   *
   * @param nameOrPath a name the dynamic loader searches for ({@code libamdhip64.so}) or a path
   *     containing {@code /}
   * @throws IllegalArgumentException the library cannot be loaded (no ROCm installed)
   * @throws HipException the library lacks a function (a HIP older than meshd supports, or not
   *     HIP at all)
   */
  public static HipRuntime load(String nameOrPath) throws HipException {
    Arena arena = Arena.ofAuto();
    SymbolLookup lookup = nameOrPath.contains("/")
        ? SymbolLookup.libraryLookup(Path.of(nameOrPath), arena)
        : SymbolLookup.libraryLookup(nameOrPath, arena);
    return new HipRuntime(nameOrPath, arena, lookup);
  }

  private MethodHandle bind(SymbolLookup lookup, FunctionDescriptor descriptor, String symbol)
      throws HipException {
    Optional<MemorySegment> address = lookup.find(symbol);
    if (address.isEmpty()) {
      throw new HipException(symbol, HipException.MISSING_FUNCTION,
          "missing from " + name + " (expected: the HIP runtime of ROCm 5.0 or newer)");
    }
    return Linker.nativeLinker().downcallHandle(address.get(), descriptor);
  }

  /** The name or path it was loaded from. */
  public String name() {
    return name;
  }

  /** {@code hipInit(0)}: the runtime initialises itself on first use anyway; this says why not. */
  public void init() throws HipException {
    check("hipInit", call(() -> (int) hipInit.invokeExact(0)));
  }

  /** {@code hipGetDeviceCount}. */
  public int deviceCount() throws HipException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment count = call.allocate(JAVA_INT);
      check("hipGetDeviceCount", call(() -> (int) hipGetDeviceCount.invokeExact(count)));
      return count.get(JAVA_INT, 0);
    }
  }

  /** {@code hipDeviceGetPCIBusId}: the GPU's PCI address as text, {@code 0000:c1:00.0}. */
  public String pciBusId(int device) throws HipException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment text = call.allocate(PCI_BUS_ID_BYTES);
      check("hipDeviceGetPCIBusId", call(() ->
          (int) hipDeviceGetPCIBusId.invokeExact(text, PCI_BUS_ID_BYTES, device)));
      return text.getString(0);
    }
  }

  /** {@code hipDeviceCanAccessPeer}: whether {@code device} can access {@code peer}'s memory. */
  public boolean canAccessPeer(int device, int peer) throws HipException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment can = call.allocate(JAVA_INT);
      check("hipDeviceCanAccessPeer",
          call(() -> (int) hipDeviceCanAccessPeer.invokeExact(can, device, peer)));
      return can.get(JAVA_INT, 0) != 0;
    }
  }

  /**
   * {@code hipExtGetLinkTypeAndHopCount}: the HSA link type between two GPUs ({@link
   * #LINK_TYPE_XGMI}, {@link #LINK_TYPE_PCIE}, ...) and the hops between them.
   */
  public Link link(int device, int peer) throws HipException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment type = call.allocate(JAVA_INT);
      MemorySegment hops = call.allocate(JAVA_INT);
      check("hipExtGetLinkTypeAndHopCount", call(() ->
          (int) hipExtGetLinkTypeAndHopCount.invokeExact(device, peer, type, hops)));
      // uint32_t both: no real type or hop count comes near 2^31.
      return new Link(type.get(JAVA_INT, 0), hops.get(JAVA_INT, 0));
    }
  }

  /** What {@link #link} answers. */
  public record Link(int type, int hops) {}

  /** {@code hipSetDevice}: the calling thread's current device. */
  public void setDevice(int device) throws HipException {
    check("hipSetDevice", call(() -> (int) hipSetDevice.invokeExact(device)));
  }

  /**
   * {@code hipDeviceEnablePeerAccess}: lets the current device access {@code peer}'s memory.
   *
   * @return false when it was already enabled (by an earlier probe or another user in this
   *     process), true when this call enabled it
   */
  public boolean enablePeerAccess(int peer) throws HipException {
    int code = call(() -> (int) hipDeviceEnablePeerAccess.invokeExact(peer, 0));
    if (code == HipException.PEER_ACCESS_ALREADY_ENABLED) {
      return false;
    }
    check("hipDeviceEnablePeerAccess", code);
    return true;
  }

  /** {@code hipDeviceDisablePeerAccess}: the current device no longer maps {@code peer}'s memory. */
  public void disablePeerAccess(int peer) throws HipException {
    check("hipDeviceDisablePeerAccess",
        call(() -> (int) hipDeviceDisablePeerAccess.invokeExact(peer)));
  }

  /** {@code hipDeviceSynchronize}: waits for the current device's work. */
  public void synchronize() throws HipException {
    check("hipDeviceSynchronize", call(() -> (int) hipDeviceSynchronize.invokeExact()));
  }

  /** {@code hipMalloc} on the current device: a device pointer. */
  public MemorySegment allocate(long bytes) throws HipException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment pointer = call.allocate(ADDRESS);
      check("hipMalloc", call(() -> (int) hipMalloc.invokeExact(pointer, bytes)));
      return pointer.get(ADDRESS, 0);
    }
  }

  /** {@code hipFree}. */
  public void free(MemorySegment pointer) throws HipException {
    check("hipFree", call(() -> (int) hipFree.invokeExact(pointer)));
  }

  /** {@code hipMemcpy(..., hipMemcpyHostToDevice)}: {@code bytes} from host memory to a GPU. */
  public void copyHostToDevice(MemorySegment device, MemorySegment host, long bytes)
      throws HipException {
    check("hipMemcpy", call(() ->
        (int) hipMemcpy.invokeExact(device, host, bytes, MEMCPY_HOST_TO_DEVICE)));
  }

  /** {@code hipMemcpy(..., hipMemcpyDeviceToHost)}: {@code bytes} from a GPU to host memory. */
  public void copyDeviceToHost(MemorySegment host, MemorySegment device, long bytes)
      throws HipException {
    check("hipMemcpy", call(() ->
        (int) hipMemcpy.invokeExact(host, device, bytes, MEMCPY_DEVICE_TO_HOST)));
  }

  /**
   * {@code hipMemcpyPeer}: device to device, over XGMI (or PCIe) when peer access is enabled.
   * Follow with {@link #synchronize()} before reading the result or the clock.
   */
  public void copyPeer(MemorySegment destination, int destinationDevice, MemorySegment source,
      int sourceDevice, long bytes) throws HipException {
    check("hipMemcpyPeer", call(() -> (int) hipMemcpyPeer.invokeExact(
        destination, destinationDevice, source, sourceDevice, bytes)));
  }

  /** The runtime's text for a result code, e.g. {@code hipErrorNoDevice}'s. */
  public String errorString(int code) {
    MemorySegment text;
    try {
      text = (MemorySegment) hipGetErrorString.invokeExact(code);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("HIP downcall: " + t, t);
    }
    if (text.equals(MemorySegment.NULL)) {
      return "error " + code;
    }
    // The runtime returns a static, NUL-terminated string; 256 bytes bound the read.
    return text.reinterpret(256).getString(0);
  }

  private void check(String function, int code) throws HipException {
    if (code != 0) {
      throw new HipException(function, code, errorString(code));
    }
  }

  private static int call(IntDowncall downcall) {
    return IntDowncall.call("HIP", downcall);
  }

  @Override
  public String toString() {
    return "HipRuntime[" + name + "]";
  }
}
