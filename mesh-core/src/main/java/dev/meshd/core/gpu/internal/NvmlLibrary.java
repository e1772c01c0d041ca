package dev.meshd.core.gpu.internal;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
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
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hand-written FFM binding of the few NVML functions meshd uses (jextract is not on Maven
 * Central). Signatures are those of {@code nvml.h}; each method maps one call and turns a
 * non-zero {@code nvmlReturn_t} into an {@link NvmlException} carrying {@code nvmlErrorString}.
 *
 * <p>The functions GPU discovery needs are required: {@link #load} fails without them. Those only
 * the topology reads (PCI info, NVLink state and remote, P2P status, common ancestor, field
 * values) are bound when present, so an older driver still serves GPU discovery; calling a
 * missing one throws {@link NvmlException#MISSING_FUNCTION}.
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

  /**
   * Functions only the GPU topology reads. Bound when present; a driver without one still serves
   * {@code NvmlGpuProbe}, and calling it throws {@link NvmlException#MISSING_FUNCTION}.
   */
  private static final Map<String, FunctionDescriptor> OPTIONAL_FUNCTIONS = Map.of(
      "nvmlDeviceGetPciInfo_v3", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
      "nvmlDeviceGetNvLinkState", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
      "nvmlDeviceGetNvLinkRemotePciInfo_v2",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
      "nvmlDeviceGetP2PStatus",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
      "nvmlDeviceGetTopologyCommonAncestor",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
      "nvmlDeviceGetFieldValues", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));

  /** {@code NVML_NVLINK_MAX_LINKS} of current headers (Hopper: 18; older GPUs stop earlier). */
  public static final int NVLINK_MAX_LINKS = 18;

  /** {@code nvmlGpuP2PCapsIndex_t}: peer reads, over any path. */
  public static final int P2P_CAPS_INDEX_READ = 0;

  /** {@code nvmlGpuP2PCapsIndex_t}: peer access over NVLink. */
  public static final int P2P_CAPS_INDEX_NVLINK = 2;

  /** {@code NVML_P2P_STATUS_OK}. */
  public static final int P2P_STATUS_OK = 0;

  /** {@code NVML_FI_DEV_NVLINK_SPEED_MBPS_COMMON}: the speed of the active links, in MB/s. */
  public static final int FI_DEV_NVLINK_SPEED_MBPS_COMMON = 90;

  /**
   * {@code nvmlPciInfo_t}: {@code char busIdLegacy[16]; unsigned int domain, bus, device,
   * pciDeviceId, pciSubSystemId; char busId[32]}; 68 bytes.
   */
  private static final StructLayout PCI_INFO = MemoryLayout.structLayout(
      MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("busIdLegacy"),
      JAVA_INT.withName("domain"), JAVA_INT.withName("bus"), JAVA_INT.withName("device"),
      JAVA_INT.withName("pciDeviceId"), JAVA_INT.withName("pciSubSystemId"),
      MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("busId"));

  /**
   * {@code nvmlFieldValue_t}: {@code unsigned int fieldId, scopeId; long long timestamp,
   * latencyUsec; nvmlValueType_t valueType; nvmlReturn_t nvmlReturn; nvmlValue_t value} (an
   * 8-byte union); 40 bytes.
   */
  private static final StructLayout FIELD_VALUE = MemoryLayout.structLayout(
      JAVA_INT.withName("fieldId"), JAVA_INT.withName("scopeId"),
      JAVA_LONG.withName("timestamp"), JAVA_LONG.withName("latencyUsec"),
      JAVA_INT.withName("valueType"), JAVA_INT.withName("nvmlReturn"),
      JAVA_LONG.withName("value"));

  /** An {@code nvmlDevice_t}: an opaque handle, valid between init and shutdown. */
  public record Device(int index, MemorySegment handle) {}

  /** {@code nvmlMemory_t}, in bytes. */
  public record Memory(long totalBytes, long usedBytes) {}

  /** {@code nvmlUtilization_t}, in percent. */
  public record Utilization(int gpuPercent, int memoryPercent) {}

  /**
   * Where a device sits on PCI: {@code nvmlPciInfo_t}'s domain, bus and device numbers, which
   * identify it (the bus id strings come in two formats), and its bus id for messages.
   */
  public record PciAddress(int domain, int bus, int device, String busId) {

    /** Whether both name the same PCI device, whatever format their bus ids are in. */
    public boolean sameDevice(PciAddress other) {
      return domain == other.domain && bus == other.bus && device == other.device;
    }
  }

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
      MemorySegment symbol = lookup.find(f.getKey()).orElseThrow(
          () -> missing(f.getKey(), nameOrPath));
      handles.put(f.getKey(), linker.downcallHandle(symbol, f.getValue()));
    }
    for (Map.Entry<String, FunctionDescriptor> f : OPTIONAL_FUNCTIONS.entrySet()) {
      Optional<MemorySegment> symbol = lookup.find(f.getKey());
      symbol.ifPresent(s -> handles.put(f.getKey(), linker.downcallHandle(s, f.getValue())));
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

  /** {@code nvmlDeviceGetPciInfo_v3}: where the device sits on PCI. */
  public synchronized PciAddress pciInfo(Device device) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment info = call.allocate(PCI_INFO);
      check("nvmlDeviceGetPciInfo_v3",
          (int) invoke("nvmlDeviceGetPciInfo_v3", device.handle(), info));
      return pciAddress(info);
    }
  }

  /**
   * {@code nvmlDeviceGetNvLinkState}: whether link {@code link} is up. A link number past the
   * device's last link fails with {@code INVALID_ARGUMENT}, a GPU without NVLink with {@code
   * NOT_SUPPORTED}: both end a scan of the links.
   */
  public synchronized boolean nvLinkActive(Device device, int link) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment state = call.allocate(JAVA_INT);
      check("nvmlDeviceGetNvLinkState",
          (int) invoke("nvmlDeviceGetNvLinkState", device.handle(), link, state));
      return state.get(JAVA_INT, 0) != 0; // nvmlEnableState_t: NVML_FEATURE_ENABLED = 1
    }
  }

  /** {@code nvmlDeviceGetNvLinkRemotePciInfo_v2}: the device at the other end of a link. */
  public synchronized PciAddress nvLinkRemotePciInfo(Device device, int link)
      throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment info = call.allocate(PCI_INFO);
      check("nvmlDeviceGetNvLinkRemotePciInfo_v2",
          (int) invoke("nvmlDeviceGetNvLinkRemotePciInfo_v2", device.handle(), link, info));
      return pciAddress(info);
    }
  }

  /**
   * {@code nvmlDeviceGetP2PStatus}: whether {@code first} can reach {@code second} as a peer in
   * the way {@code capsIndex} names ({@link #P2P_CAPS_INDEX_READ}, {@link
   * #P2P_CAPS_INDEX_NVLINK}); an {@code nvmlGpuP2PStatus_t}, {@link #P2P_STATUS_OK} if it can.
   */
  public synchronized int p2pStatus(Device first, Device second, int capsIndex)
      throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment status = call.allocate(JAVA_INT);
      check("nvmlDeviceGetP2PStatus", (int) invoke("nvmlDeviceGetP2PStatus",
          first.handle(), second.handle(), capsIndex, status));
      return status.get(JAVA_INT, 0);
    }
  }

  /**
   * {@code nvmlDeviceGetTopologyCommonAncestor}: the closest PCI ancestor of two devices, an
   * {@code nvmlGpuTopologyLevel_t} (0 internal, 10 single switch, 20 several switches, 30 host
   * bridge, 40 NUMA node, 50 system).
   */
  public synchronized int topologyCommonAncestor(Device first, Device second)
      throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment level = call.allocate(JAVA_INT);
      check("nvmlDeviceGetTopologyCommonAncestor", (int) invoke(
          "nvmlDeviceGetTopologyCommonAncestor", first.handle(), second.handle(), level));
      return level.get(JAVA_INT, 0);
    }
  }

  /**
   * {@code nvmlDeviceGetFieldValues} for one field, read as an integer whatever its value type
   * (a double is truncated). The field's own return code fails like a call's.
   */
  public synchronized long fieldValue(Device device, int fieldId) throws NvmlException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment value = call.allocate(FIELD_VALUE); // zeroed: scopeId 0, as NVML asks
      value.set(JAVA_INT, FIELD_VALUE.byteOffset(groupElement("fieldId")), fieldId);
      check("nvmlDeviceGetFieldValues",
          (int) invoke("nvmlDeviceGetFieldValues", device.handle(), 1, value));
      check("nvmlDeviceGetFieldValues(" + fieldId + ")",
          value.get(JAVA_INT, FIELD_VALUE.byteOffset(groupElement("nvmlReturn"))));
      long offset = FIELD_VALUE.byteOffset(groupElement("value"));
      // nvmlValueType_t: 0 double, 1 unsigned int, 2 unsigned long, 3 unsigned long long,
      // 4 signed long long, 5 signed int, 6 unsigned short.
      return switch (value.get(JAVA_INT, FIELD_VALUE.byteOffset(groupElement("valueType")))) {
        case 0 -> (long) value.get(ValueLayout.JAVA_DOUBLE, offset);
        case 1 -> Integer.toUnsignedLong(value.get(JAVA_INT, offset));
        case 5 -> value.get(JAVA_INT, offset);
        case 6 -> Short.toUnsignedInt(value.get(ValueLayout.JAVA_SHORT, offset));
        default -> value.get(JAVA_LONG, offset);
      };
    }
  }

  /** NVML's text for a return code, e.g. {@code Driver Not Loaded}. */
  public synchronized String errorString(int code) {
    MemorySegment text;
    try {
      text = (MemorySegment) invoke("nvmlErrorString", code);
    } catch (NvmlException e) {
      return "error " + code; // not reached: load() requires nvmlErrorString
    }
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

  private static PciAddress pciAddress(MemorySegment info) {
    // NVML fills busId NUL-terminated; its 32 bytes bound the read should it not.
    MemorySegment busId = info.asSlice(PCI_INFO.byteOffset(groupElement("busId")), 32);
    int length = 0;
    while (length < 32 && busId.get(ValueLayout.JAVA_BYTE, length) != 0) {
      length++;
    }
    return new PciAddress(
        info.get(JAVA_INT, PCI_INFO.byteOffset(groupElement("domain"))),
        info.get(JAVA_INT, PCI_INFO.byteOffset(groupElement("bus"))),
        info.get(JAVA_INT, PCI_INFO.byteOffset(groupElement("device"))),
        new String(busId.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.US_ASCII));
  }

  private static NvmlException missing(String function, String library) {
    return new NvmlException(function, NvmlException.MISSING_FUNCTION,
        "missing from " + library + " (expected: an NVIDIA driver R450 or newer)");
  }

  private void check(String function, int code) throws NvmlException {
    if (code != 0) {
      throw new NvmlException(function, code, errorString(code));
    }
  }

  private Object invoke(String function, Object... args) throws NvmlException {
    MethodHandle handle = handles.get(function);
    if (handle == null) {
      throw missing(function, name);
    }
    try {
      return handle.invokeWithArguments(args);
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
