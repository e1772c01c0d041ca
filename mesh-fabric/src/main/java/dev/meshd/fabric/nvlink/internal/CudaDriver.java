package dev.meshd.fabric.nvlink.internal;

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
import java.util.List;
import java.util.Optional;

/**
 * Hand-written FFM binding of the few CUDA driver API functions the NVLink probe uses ({@code
 * libcuda.so.1}; jextract is not on Maven Central). Signatures are those of {@code cuda.h} on
 * 64-bit Linux: {@code CUdevice} is an {@code int}, {@code CUdeviceptr} and {@code size_t} are
 * 64-bit, {@code CUcontext} is a pointer. Each method maps one call and turns a non-zero {@code
 * CUresult} into a {@link CudaException} carrying {@code cuGetErrorString}'s text.
 *
 * <p>Versioned symbols are bound by the names {@code cuda.h} maps the plain ones to ({@code
 * cuMemAlloc_v2}, {@code cuDevicePrimaryCtxRelease_v2}, ...), as the runtime does.
 *
 * <p>Thread-safety: the handles are immutable and the driver is thread-safe, but the current
 * context ({@link #setCurrent}) is per thread; a probe makes all its calls from one thread. The
 * library stays loaded while this object is reachable ({@link Arena#ofAuto()}).
 */
// Loading a library and binding its functions are restricted FFM operations: that is the point
// of this class, and the launchers pass --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class CudaDriver {

  /** {@code CU_DEVICE_ATTRIBUTE_PCI_BUS_ID}. */
  public static final int ATTRIBUTE_PCI_BUS_ID = 33;
  /** {@code CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID}. */
  public static final int ATTRIBUTE_PCI_DEVICE_ID = 34;
  /** {@code CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID}. */
  public static final int ATTRIBUTE_PCI_DOMAIN_ID = 50;

  private final String name;
  /** Held so that the library stays loaded as long as this binding is reachable. */
  private final Arena arena;
  private final MethodHandle cuInit;
  private final MethodHandle cuDeviceGetCount;
  private final MethodHandle cuDeviceGet;
  private final MethodHandle cuDeviceGetAttribute;
  private final MethodHandle cuDeviceCanAccessPeer;
  private final MethodHandle cuDevicePrimaryCtxRetain;
  private final MethodHandle cuDevicePrimaryCtxRelease;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuCtxEnablePeerAccess;
  private final MethodHandle cuCtxSynchronize;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemcpyHtoD;
  private final MethodHandle cuMemcpyDtoH;
  private final MethodHandle cuMemcpyPeer;
  private final MethodHandle cuGetErrorString;

  private CudaDriver(String name, Arena arena, SymbolLookup lookup) throws CudaException {
    this.name = name;
    this.arena = arena;
    cuInit = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT), "cuInit");
    cuDeviceGetCount = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS), "cuDeviceGetCount");
    cuDeviceGet = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceGet");
    cuDeviceGetAttribute = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetAttribute");
    cuDeviceCanAccessPeer = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceCanAccessPeer");
    cuDevicePrimaryCtxRetain = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDevicePrimaryCtxRetain");
    cuDevicePrimaryCtxRelease = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT),
        "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
    cuCtxSetCurrent = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS), "cuCtxSetCurrent");
    cuCtxEnablePeerAccess = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuCtxEnablePeerAccess");
    cuCtxSynchronize = bind(lookup, FunctionDescriptor.of(JAVA_INT), "cuCtxSynchronize");
    cuMemAlloc = bind(lookup, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG),
        "cuMemAlloc_v2");
    cuMemFree = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_LONG), "cuMemFree_v2");
    cuMemcpyHtoD = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), "cuMemcpyHtoD_v2");
    cuMemcpyDtoH = bind(lookup,
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoH_v2");
    cuMemcpyPeer = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG,
        ADDRESS, JAVA_LONG), "cuMemcpyPeer");
    cuGetErrorString = bind(lookup, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
        "cuGetErrorString");
  }

  /**
   * Loads the library and binds every function.
   *
   * @param nameOrPath a name the dynamic loader searches for ({@code libcuda.so.1}) or a path
   *     containing {@code /}
   * @throws IllegalArgumentException the library cannot be loaded (no CUDA driver installed)
   * @throws CudaException the library lacks a function (a driver older than meshd supports, or
   *     not the CUDA driver at all)
   */
  public static CudaDriver load(String nameOrPath) throws CudaException {
    Arena arena = Arena.ofAuto();
    SymbolLookup lookup = nameOrPath.contains("/")
        ? SymbolLookup.libraryLookup(Path.of(nameOrPath), arena)
        : SymbolLookup.libraryLookup(nameOrPath, arena);
    return new CudaDriver(nameOrPath, arena, lookup);
  }

  private MethodHandle bind(SymbolLookup lookup, FunctionDescriptor descriptor, String... names)
      throws CudaException {
    for (String symbol : names) {
      Optional<MemorySegment> address = lookup.find(symbol);
      if (address.isPresent()) {
        return Linker.nativeLinker().downcallHandle(address.get(), descriptor);
      }
    }
    throw new CudaException(String.join(" or ", List.of(names)), CudaException.MISSING_FUNCTION,
        "missing from " + name + " (expected: a CUDA driver for CUDA 7.0 or newer)");
  }

  /** The name or path it was loaded from. */
  public String name() {
    return name;
  }

  /** {@code cuInit(0)}: needed once per process before any other call; repeating it is cheap. */
  public void init() throws CudaException {
    check("cuInit", call(() -> (int) cuInit.invokeExact(0)));
  }

  /** {@code cuDeviceGetCount}. */
  public int deviceCount() throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment count = call.allocate(JAVA_INT);
      check("cuDeviceGetCount", call(() -> (int) cuDeviceGetCount.invokeExact(count)));
      return count.get(JAVA_INT, 0);
    }
  }

  /** {@code cuDeviceGet}: the {@code CUdevice} of a CUDA ordinal. */
  public int device(int ordinal) throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment device = call.allocate(JAVA_INT);
      check("cuDeviceGet", call(() -> (int) cuDeviceGet.invokeExact(device, ordinal)));
      return device.get(JAVA_INT, 0);
    }
  }

  /** {@code cuDeviceGetAttribute}, e.g. {@link #ATTRIBUTE_PCI_BUS_ID}. */
  public int attribute(int device, int attribute) throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment value = call.allocate(JAVA_INT);
      check("cuDeviceGetAttribute",
          call(() -> (int) cuDeviceGetAttribute.invokeExact(value, attribute, device)));
      return value.get(JAVA_INT, 0);
    }
  }

  /** {@code cuDeviceCanAccessPeer}: whether {@code device} can access {@code peer}'s memory. */
  public boolean canAccessPeer(int device, int peer) throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment can = call.allocate(JAVA_INT);
      check("cuDeviceCanAccessPeer",
          call(() -> (int) cuDeviceCanAccessPeer.invokeExact(can, device, peer)));
      return can.get(JAVA_INT, 0) != 0;
    }
  }

  /** {@code cuDevicePrimaryCtxRetain}: the device's primary context, counted until released. */
  public MemorySegment retainPrimaryContext(int device) throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment context = call.allocate(ADDRESS);
      check("cuDevicePrimaryCtxRetain",
          call(() -> (int) cuDevicePrimaryCtxRetain.invokeExact(context, device)));
      return context.get(ADDRESS, 0);
    }
  }

  /** {@code cuDevicePrimaryCtxRelease}; the last release resets the context. */
  public void releasePrimaryContext(int device) throws CudaException {
    check("cuDevicePrimaryCtxRelease",
        call(() -> (int) cuDevicePrimaryCtxRelease.invokeExact(device)));
  }

  /** {@code cuCtxSetCurrent}: binds the context to the calling thread. */
  public void setCurrent(MemorySegment context) throws CudaException {
    check("cuCtxSetCurrent", call(() -> (int) cuCtxSetCurrent.invokeExact(context)));
  }

  /**
   * {@code cuCtxEnablePeerAccess}: lets the current context access {@code peer}'s memory. Already
   * enabled (by an earlier probe of this process) is success.
   */
  public void enablePeerAccess(MemorySegment peer) throws CudaException {
    int code = call(() -> (int) cuCtxEnablePeerAccess.invokeExact(peer, 0));
    if (code != CudaException.PEER_ACCESS_ALREADY_ENABLED) {
      check("cuCtxEnablePeerAccess", code);
    }
  }

  /** {@code cuCtxSynchronize}: waits for the current context's work. */
  public void synchronize() throws CudaException {
    check("cuCtxSynchronize", call(() -> (int) cuCtxSynchronize.invokeExact()));
  }

  /** {@code cuMemAlloc_v2} in the current context: a device pointer. */
  public long allocate(long bytes) throws CudaException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment pointer = call.allocate(JAVA_LONG);
      check("cuMemAlloc_v2", call(() -> (int) cuMemAlloc.invokeExact(pointer, bytes)));
      return pointer.get(JAVA_LONG, 0);
    }
  }

  /** {@code cuMemFree_v2}. */
  public void free(long pointer) throws CudaException {
    check("cuMemFree_v2", call(() -> (int) cuMemFree.invokeExact(pointer)));
  }

  /** {@code cuMemcpyHtoD_v2}: {@code bytes} from host memory to a device pointer. */
  public void copyHostToDevice(long device, MemorySegment host, long bytes)
      throws CudaException {
    check("cuMemcpyHtoD_v2", call(() -> (int) cuMemcpyHtoD.invokeExact(device, host, bytes)));
  }

  /** {@code cuMemcpyDtoH_v2}: {@code bytes} from a device pointer to host memory. */
  public void copyDeviceToHost(MemorySegment host, long device, long bytes)
      throws CudaException {
    check("cuMemcpyDtoH_v2", call(() -> (int) cuMemcpyDtoH.invokeExact(host, device, bytes)));
  }

  /**
   * {@code cuMemcpyPeer}: device to device across contexts, over NVLink (or PCIe) when peer
   * access is enabled. Asynchronous to the host: follow with {@link #synchronize()}.
   */
  public void copyPeer(long destination, MemorySegment destinationContext, long source,
      MemorySegment sourceContext, long bytes) throws CudaException {
    check("cuMemcpyPeer", call(() -> (int) cuMemcpyPeer.invokeExact(
        destination, destinationContext, source, sourceContext, bytes)));
  }

  /** The driver's text for a result code, e.g. {@code invalid device ordinal}. */
  public String errorString(int code) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment text = call.allocate(ADDRESS);
      int result = call(() -> (int) cuGetErrorString.invokeExact(code, text));
      MemorySegment string = text.get(ADDRESS, 0);
      if (result != 0 || string.equals(MemorySegment.NULL)) {
        return "error " + code;
      }
      // The driver returns a static, NUL-terminated string; 256 bytes bound the read.
      return string.reinterpret(256).getString(0);
    }
  }

  private void check(String function, int code) throws CudaException {
    if (code != 0) {
      throw new CudaException(function, code, errorString(code));
    }
  }

  private static int call(IntDowncall downcall) {
    return IntDowncall.call("CUDA", downcall);
  }

  @Override
  public String toString() {
    return "CudaDriver[" + name + "]";
  }
}
