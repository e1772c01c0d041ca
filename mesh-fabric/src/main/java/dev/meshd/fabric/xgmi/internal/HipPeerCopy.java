package dev.meshd.fabric.xgmi.internal;

import dev.meshd.fabric.peercopy.GpuCallException;
import dev.meshd.fabric.peercopy.PeerCopyDevice;
import dev.meshd.fabric.peercopy.PeerCopyDriver;
import dev.meshd.fabric.probe.FallbackReason;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer-copy probe's driver over the HIP runtime: GPUs are HIP device ordinals, ordered by
 * the PCI address {@code hipDeviceGetPCIBusId} gives; peer access is enabled device to device
 * with {@code hipSetDevice} + {@code hipDeviceEnablePeerAccess}; copies are {@code hipMemcpyPeer}
 * followed by {@code hipDeviceSynchronize}.
 *
 * <p>Unlike CUDA, HIP says what joins two GPUs: {@code hipExtGetLinkTypeAndHopCount}. A pair
 * whose link type is not XGMI (a PCIe path) is refused by {@link #linkMismatch}, so an XGMI link
 * is never claimed for bytes that went over PCIe. Peer access has no context to go with it in
 * HIP's runtime API, so the pair disables on close what it enabled (and leaves alone what was
 * enabled before it). Thread-safety: the current device is per thread; one thread uses a pair.
 */
public final class HipPeerCopy implements PeerCopyDriver {

  /** {@code hipDeviceGetPCIBusId}'s format: {@code domain:bus:device.function}, in hex. */
  private static final Pattern PCI_BUS_ID = Pattern.compile(
      "([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+)\\.([0-9a-fA-F]+)");

  private final HipRuntime hip;

  public HipPeerCopy(HipRuntime hip) {
    this.hip = Objects.requireNonNull(hip, "hip");
  }

  /** Loads {@code libamdhip64} and binds it: a {@link PeerCopyDriver.Loader}. */
  public static PeerCopyDriver load(String nameOrPath) throws HipException {
    return new HipPeerCopy(HipRuntime.load(nameOrPath));
  }

  @Override
  public List<PeerCopyDevice> devices() throws GpuCallException {
    hip.init();
    int count = hip.deviceCount();
    List<PeerCopyDevice> gpus = new ArrayList<>(count);
    for (int ordinal = 0; ordinal < count; ordinal++) {
      gpus.add(device(ordinal, hip.pciBusId(ordinal)));
    }
    return gpus;
  }

  static PeerCopyDevice device(int ordinal, String pciBusId) throws GpuCallException {
    Matcher m = PCI_BUS_ID.matcher(pciBusId.strip());
    if (!m.matches()) {
      throw new GpuCallException("hipDeviceGetPCIBusId", GpuCallException.MALFORMED_ANSWER,
          "device " + ordinal + " is at \"" + pciBusId + "\" (expected: domain:bus:device.function "
              + "in hex)", FallbackReason.TRANSPORT_ERROR);
    }
    return new PeerCopyDevice(ordinal, Integer.parseInt(m.group(1), 16),
        Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16));
  }

  @Override
  public boolean canAccessPeer(int device, int peer) throws HipException {
    return hip.canAccessPeer(device, peer);
  }

  @Override
  public String canAccessPeerFunction() {
    return "hipDeviceCanAccessPeer";
  }

  @Override
  public Optional<String> linkMismatch(int device, int peer) throws HipException {
    HipRuntime.Link link = hip.link(device, peer);
    if (link.type() == HipRuntime.LINK_TYPE_XGMI) {
      return Optional.empty();
    }
    return Optional.of("over " + linkTypeName(link.type()) + ", not XGMI "
        + "(hipExtGetLinkTypeAndHopCount: link type " + link.type() + ", " + link.hops()
        + " hop(s))");
  }

  /** The names of {@code hsa_amd_link_info_type_t}. */
  private static String linkTypeName(int type) {
    return switch (type) {
      case 0 -> "HyperTransport";
      case 1 -> "QPI";
      case HipRuntime.LINK_TYPE_PCIE -> "PCIe";
      case 3 -> "InfiniBand";
      default -> "an unknown link";
    };
  }

  @Override
  public Pair pair(int deviceA, int deviceB) {
    return new DevicePair(deviceA, deviceB);
  }

  /** One GPU of the pair: its buffer, and whether this pair enabled its access to the other. */
  private static final class Side {
    final int device;
    MemorySegment buffer = MemorySegment.NULL;
    boolean enabledPeerAccess;

    Side(int device) {
      this.device = device;
    }
  }

  /** Two devices; A is current between calls. */
  private final class DevicePair implements Pair {
    private final Side a;
    private final Side b;

    DevicePair(int deviceA, int deviceB) {
      this.a = new Side(deviceA);
      this.b = new Side(deviceB);
    }

    @Override
    public void open(long bytes) throws HipException {
      hip.setDevice(b.device);
      b.enabledPeerAccess = hip.enablePeerAccess(a.device);
      b.buffer = hip.allocate(bytes);
      hip.setDevice(a.device);
      a.enabledPeerAccess = hip.enablePeerAccess(b.device);
      a.buffer = hip.allocate(bytes);
    }

    @Override
    public void copyAToB(long bytes) throws HipException {
      hip.copyPeer(b.buffer, b.device, a.buffer, a.device, bytes);
    }

    @Override
    public void copyBToA(long bytes) throws HipException {
      hip.copyPeer(a.buffer, a.device, b.buffer, b.device, bytes);
    }

    @Override
    public void synchronize() throws HipException {
      hip.synchronize();
    }

    @Override
    public void upload(MemorySegment host, long bytes) throws HipException {
      hip.copyHostToDevice(a.buffer, host, bytes);
    }

    @Override
    public void download(MemorySegment host, long bytes) throws HipException {
      hip.setDevice(b.device);
      hip.synchronize();
      hip.copyDeviceToHost(host, b.buffer, bytes);
      hip.setDevice(a.device);
    }

    /** Frees each buffer and disables the peer access this pair enabled, each on its device. */
    @Override
    public void close() {
      release(a, b);
      release(b, a);
    }

    private void release(Side side, Side other) {
      try {
        hip.setDevice(side.device);
      } catch (HipException e) {
        return; // a device that cannot be made current holds nothing this pair could free
      }
      try {
        if (!side.buffer.equals(MemorySegment.NULL)) {
          hip.free(side.buffer);
          side.buffer = MemorySegment.NULL;
        }
      } catch (HipException e) {
        // The process exits with its allocations anyway; nothing more to do here.
      }
      try {
        if (side.enabledPeerAccess) {
          hip.disablePeerAccess(other.device);
          side.enabledPeerAccess = false;
        }
      } catch (HipException e) {
        // Peer access left enabled costs a mapping, not correctness.
      }
    }
  }
}
