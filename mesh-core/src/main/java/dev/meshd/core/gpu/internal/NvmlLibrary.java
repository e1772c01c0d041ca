package dev.meshd.core.gpu.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Hand-written FFM binding of the few NVML functions meshd uses (jextract is not on Maven
 * Central). Signatures are those of {@code nvml.h}; each method maps one call and turns a
 * non-zero {@code nvmlReturn_t} into an {@link NvmlException} carrying {@code nvmlErrorString}.
 *
 * <p>Thread-safe: every call is synchronized on the instance. NVML itself is thread-safe, but
 * serializing keeps {@code nvmlInit}/{@code nvmlShutdown} pairs of concurrent users from
 * interleaving with device calls, and probes are rare enough (seconds apart) that contention is
 * irrelevant. The library stays loaded while this object is reachable ({@link Arena#ofAuto()}),
 * so a probe that keeps its instance loads it once.
 */
// Loading a library and binding its functions are restricted FFM operations: that is the point
// of this class, and the launchers pass --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class NvmlLibrary {

  /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE} and {@code NVML_DEVICE_UUID_V2_BUFFER_SIZE}. */
  private static final int STRING_BUFFER = 96;

  /** {@code nvmlMemory_t}: {@code unsigned long long total, free, used}, in bytes. */
  private static final StructLayout MEMORY = MemoryLayout.structLayout(
      JAVA_LONG.withName("total"), JAVA_LONG.withName("free"), JAVA_LONG.withName("used"));

  /** {@code nvmlUtilization_t}: {@code unsigned int gpu, memory}, percent over the last sample. */
  private static final StructLayout UTILIZATION =
      MemoryLayout.structLayout(JAVA_INT.withName("gpu"), JAVA_INT.withName("memory"));

  private static final VarHandle MEMORY_TOTAL =
      MEMORY.varHandle(MemoryLayout.PathElement.groupElement("total"));
  private static final VarHandle MEMORY_USED =
      MEMORY.varHandle(MemoryLayout.PathElement.groupElement("used"));
  private static final VarHandle UTILIZATION_GPU =
      UTILIZATION.varHandle(MemoryLayout.PathElement.groupElement("gpu"));
  private static final VarHandle UTILIZATION_MEMORY =
      UTILIZATION.varHandle(MemoryLayout.PathElement.groupElement("memory"));

  private static final Map<String, FunctionDescriptor> FUNCTIONS = Map.of(
      "nvmlInit_v2", FunctionDescriptor.of(JAVA_INT),
      "nvmlShutdown", FunctionDescriptor.of(JAVA_INT),
      "nvmlErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT),
      "nvmlDeviceGetCount_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS),
      "nvmlDeviceGetHandleByIndex_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
      "nvmlDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
      "nvmlDeviceGetUUID", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
      "nvmlDeviceGetMemoryInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
      "nvmlDeviceGetUtilizationRates", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

  /** An {@code nvmlDevice_t}: an opaque handle, valid between init and shutdown. */
  public record Device(int index, MemorySegment handle) {}

  /** {@code nvmlMemory_t}, in bytes. */
  public record Memory(long totalBytes, long usedBytes) {}

  /** {@code nvmlUtilization_t}, in percent. */
  public record Utilization(int gpuPercent, int memoryPercent) {}

  private final String name;
  /** Held so that the library stays loaded as long as this binding is reachable. */
  private final Arena arena;
  private final Map<String, MethodHandle> handles;

  private NvmlLibrary(String name, Arena arena, Map<String, MethodHandle> handles) {
    this.name = name;
    this.arena = arena;
    this.handles = handles;
  }

  /**
   * Loads the library and binds every function.
   *
   * @param nameOrPath a name the dynamic loader searches for ({@code libnvidia-ml.so.1}) or a
   *     path containing {@code /}
   * @throws IllegalArgumentException the library cannot be loaded (no driver installed)
   * @throws NvmlException the library lacks a function (a driver older than meshd supports)
   */
  public static NvmlLibrary load(String nameOrPath) throws NvmlException {
    Arena arena = Arena.ofAuto();
    SymbolLookup lookup = nameOrPath.contains("/")
        ? SymbolLookup.libraryLookup(Path.of(nameOrPath), arena)
        : SymbolLookup.libraryLookup(nameOrPath, arena);
    Linker linker = Linker.nativeLinker();
    Map<String, MethodHandle> handles = new HashMap<>();
    for (Map.Entry<String, FunctionDescriptor> f : FUNCTIONS.entrySet()) {
      MemorySegment symbol = lookup.find(f.getKey()).orElseThrow(() -> new NvmlException(
          f.getKey(), NvmlException.MISSING_FUNCTION,
          "missing from " + nameOrPath + " (expected: an NVIDIA driver R450 or newer)"));
      handles.put(f.getKey(), linker.downcallHandle(symbol, f.getValue()));
    }
    return new NvmlLibrary(nameOrPath, arena, Map.copyOf(handles));
  }

  /** The name or path it was loaded from. */
  public String name() {
    return name;
  }

  public synchronized void init() throws NvmlException {
    check("nvmlInit_v2", (int) invoke("nvmlInit_v2"));
  }

  public synchronized void shutdown() throws NvmlException {
    check("nvmlShutdown", (int) invoke("nvmlShutdown"));
  }

  public synchronized int deviceCount() throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment count = call.allocate(JAVA_INT);
      check("nvmlDeviceGetCount_v2", (int) invoke("nvmlDeviceGetCount_v2", count));
      return count.get(JAVA_INT, 0);
    }
  }

  public synchronized Device device(int index) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment handle = call.allocate(ADDRESS);
      check("nvmlDeviceGetHandleByIndex_v2",
          (int) invoke("nvmlDeviceGetHandleByIndex_v2", index, handle));
      return new Device(index, handle.get(ADDRESS, 0));
    }
  }

  public synchronized String name(Device device) throws NvmlException {
    return string("nvmlDeviceGetName", device);
  }

  public synchronized String uuid(Device device) throws NvmlException {
    return string("nvmlDeviceGetUUID", device);
  }

  public synchronized Memory memory(Device device) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment memory = call.allocate(MEMORY);
      check("nvmlDeviceGetMemoryInfo",
          (int) invoke("nvmlDeviceGetMemoryInfo", device.handle(), memory));
      return new Memory((long) MEMORY_TOTAL.get(memory, 0L), (long) MEMORY_USED.get(memory, 0L));
    }
  }

  public synchronized Utilization utilization(Device device) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment rates = call.allocate(UTILIZATION);
      check("nvmlDeviceGetUtilizationRates",
          (int) invoke("nvmlDeviceGetUtilizationRates", device.handle(), rates));
      return new Utilization(
          (int) UTILIZATION_GPU.get(rates, 0L), (int) UTILIZATION_MEMORY.get(rates, 0L));
    }
  }

  /** NVML's text for a return code, e.g. {@code Driver Not Loaded}. */
  public synchronized String errorString(int code) {
    MemorySegment text = (MemorySegment) invoke("nvmlErrorString", code);
    if (text.equals(MemorySegment.NULL)) {
      return "error " + code;
    }
    // NVML returns a static, NUL-terminated string; 256 bytes bounds the read for safety.
    return text.reinterpret(256).getString(0);
  }

  private String string(String function, Device device) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      // One byte more than NVML may fill, zeroed by allocate: always NUL-terminated.
      MemorySegment buffer = call.allocate(STRING_BUFFER + 1);
      check(function, (int) invoke(function, device.handle(), buffer, STRING_BUFFER));
      return buffer.getString(0).strip();
    }
  }

  private void check(String function, int code) throws NvmlException {
    if (code != 0) {
      throw new NvmlException(function, code, errorString(code));
    }
  }

  private Object invoke(String function, Object... args) {
    try {
      return handles.get(function).invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      // Downcalls throw no checked exceptions; this would be a binding bug.
      throw new IllegalStateException(function + ": " + t, t);
    }
  }

  @Override
  public String toString() {
    return "NvmlLibrary[" + name + "]";
  }
}
