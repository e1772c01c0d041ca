package dev.meshd.core.gpu.internal;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import dev.meshd.core.fabric.NvLinkLane;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the GPU topology through an initialised {@link NvmlLibrary}: each GPU's NVLinks (state,
 * and which device each active one reaches), then for each pair of GPUs its NVLink count, its P2P
 * status and its closest common PCI ancestor, as a {@link FabricInventory}.
 *
 * <ul>
 *   <li>Links of a GPU are scanned from 0 until {@code nvmlDeviceGetNvLinkState} answers {@code
 *       INVALID_ARGUMENT} (past its last link) or {@code NOT_SUPPORTED} (no NVLink), at most
 *       {@link NvmlLibrary#NVLINK_MAX_LINKS}.
 *   <li>An active link whose remote PCI address is another GPU of this host counts for that pair.
 *       One whose remote is not (an NVSwitch) counts for the GPU alone; a pair of such GPUs whose
 *       P2P status over NVLink is OK is joined through the switch, with as many links as the
 *       smaller side has (what {@code nvidia-smi topo -m} prints as {@code NV18} on an HGX).
 *   <li>A pair without NVLink gets the PCIe path its common ancestor names: internal or single
 *       switch {@code PIX}, several switches {@code PXB}, host bridge {@code PHB}, NUMA node
 *       {@code NODE}, system {@code SYS}.
 *   <li>A pair whose P2P read status is not OK gets a reason: it has no peer access, so no
 *       NVLink/PCIe payload probe can run between them.
 * </ul>
 *
 * <p>What one GPU, link or pair fails to answer is skipped with a reason; only a failed device
 * count, or a driver lacking the functions the topology needs, fails the whole reading. Not
 * thread-safe; used by one call at a time.
 */
public final class NvmlTopologyReader {

  private static final String SOURCE = "nvml";

  private final NvmlLibrary nvml;
  /** Ordered and without repeats: a function missing from the driver is said once. */
  private final Set<String> reasons = new LinkedHashSet<>();

  private NvmlTopologyReader(NvmlLibrary nvml) {
    this.nvml = nvml;
  }

  /** One GPU NVML could identify: its index, handle and PCI address. */
  private record Gpu(int index, NvmlLibrary.Device device, NvmlLibrary.PciAddress pci) {}

  /** What the link scan found, indexed by NVML GPU index. */
  private record LinkCounts(int[][] direct, int[] toSwitch) {}

  /**
   * The topology of the GPUs {@code nvml} sees.
   *
   * @throws NvmlException the device count failed, or a function the topology needs is missing
   *     (the caller falls back to {@code nvidia-smi topo -m})
   */
  public static FabricInventory read(NvmlLibrary nvml) throws NvmlException {
    return new NvmlTopologyReader(nvml).read();
  }

  private FabricInventory read() throws NvmlException {
    int count = nvml.deviceCount();
    List<Gpu> gpus = identify(count);
    List<NvLinkLane> lanes = new ArrayList<>();
    LinkCounts counts = new LinkCounts(new int[count][count], new int[count]);
    for (Gpu gpu : gpus) {
      scanLinks(gpu, gpus, lanes, counts);
    }
    List<GpuPeerLink> links = new ArrayList<>();
    for (int i = 0; i < gpus.size(); i++) {
      for (int j = i + 1; j < gpus.size(); j++) {
        pair(gpus.get(i), gpus.get(j), counts).ifPresent(links::add);
      }
    }
    if (gpus.size() < 2) {
      reasons.add(SOURCE + ": " + gpus.size() + " GPU(s), no peer links");
    }
    return new FabricInventory(List.of(), links, lanes, List.of(), List.copyOf(reasons));
  }

  private List<Gpu> identify(int count) throws NvmlException {
    List<Gpu> gpus = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        NvmlLibrary.Device device = nvml.device(i);
        gpus.add(new Gpu(i, device, nvml.pciInfo(device)));
      } catch (NvmlException e) {
        rethrowIfMissing(e);
        reasons.add(SOURCE + ": skipped GPU " + i + ": " + e.getMessage());
      }
    }
    return gpus;
  }

  private void scanLinks(Gpu gpu, List<Gpu> gpus, List<NvLinkLane> lanes, LinkCounts counts)
      throws NvmlException {
    long speed = -1; // read once, when the first active link shows the GPU has NVLink
    for (int link = 0; link < NvmlLibrary.NVLINK_MAX_LINKS; link++) {
      boolean active;
      try {
        active = nvml.nvLinkActive(gpu.device(), link);
      } catch (NvmlException e) {
        rethrowIfMissing(e);
        if (e.code() != NvmlException.INVALID_ARGUMENT
            && e.code() != NvmlException.NOT_SUPPORTED) {
          reasons.add(SOURCE + ": GPU " + gpu.index() + " link " + link + ": " + e.getMessage()
              + "; its remaining links not read");
        }
        return;
      }
      if (!active) {
        lanes.add(new NvLinkLane(gpu.index(), link, false, 0));
        continue;
      }
      if (speed < 0) {
        speed = linkSpeed(gpu);
      }
      lanes.add(new NvLinkLane(gpu.index(), link, true, speed));
      try {
        NvmlLibrary.PciAddress remote = nvml.nvLinkRemotePciInfo(gpu.device(), link);
        Optional<Gpu> peer = gpus.stream().filter(g -> g.pci().sameDevice(remote)).findFirst();
        if (peer.isEmpty()) {
          counts.toSwitch()[gpu.index()]++;
        } else if (peer.get().index() != gpu.index()) {
          counts.direct()[gpu.index()][peer.get().index()]++;
        }
      } catch (NvmlException e) {
        rethrowIfMissing(e);
        reasons.add(SOURCE + ": GPU " + gpu.index() + " link " + link + ": remote unknown: "
            + e.getMessage());
      }
    }
  }

  /** Bytes per second of the GPU's active links; 0, with a reason, when NVML cannot say. */
  private long linkSpeed(Gpu gpu) {
    try {
      long megabytes = nvml.fieldValue(gpu.device(), NvmlLibrary.FI_DEV_NVLINK_SPEED_MBPS_COMMON);
      // MB/s, decimal, as nvidia-smi nvlink -s prints GB/s: 25781 MB/s = 25.781 GB/s.
      return Math.max(0, megabytes) * 1_000_000L;
    } catch (NvmlException e) {
      reasons.add(SOURCE + ": GPU " + gpu.index() + ": NVLink speed unknown: " + e.getMessage());
      return 0;
    }
  }

  private Optional<GpuPeerLink> pair(Gpu a, Gpu b, LinkCounts counts) throws NvmlException {
    String name = SOURCE + ": GPU" + a.index() + "-GPU" + b.index();
    // Both ends count their links; they agree unless one end's scan was cut short.
    int direct = Math.max(counts.direct()[a.index()][b.index()],
        counts.direct()[b.index()][a.index()]);
    Optional<Integer> overNvlink = p2p(a, b, NvmlLibrary.P2P_CAPS_INDEX_NVLINK, name);
    Optional<Integer> read = p2p(a, b, NvmlLibrary.P2P_CAPS_INDEX_READ, name);
    read.filter(status -> status != NvmlLibrary.P2P_STATUS_OK).ifPresent(status ->
        reasons.add(name + ": no peer access (P2P read: " + p2pStatusName(status) + ")"));
    if (direct > 0) {
      overNvlink.filter(status -> status != NvmlLibrary.P2P_STATUS_OK).ifPresent(status ->
          reasons.add(name + ": " + direct + " NVLink(s) but P2P over NVLink: "
              + p2pStatusName(status)));
      return Optional.of(new GpuPeerLink(a.index(), b.index(), GpuLinkKind.NVLINK, direct));
    }
    int viaSwitch = Math.min(counts.toSwitch()[a.index()], counts.toSwitch()[b.index()]);
    if (viaSwitch > 0 && overNvlink.equals(Optional.of(NvmlLibrary.P2P_STATUS_OK))) {
      return Optional.of(new GpuPeerLink(a.index(), b.index(), GpuLinkKind.NVLINK, viaSwitch));
    }
    int level;
    try {
      level = nvml.topologyCommonAncestor(a.device(), b.device());
    } catch (NvmlException e) {
      rethrowIfMissing(e);
      reasons.add(name + ": skipped: " + e.getMessage());
      return Optional.empty();
    }
    Optional<GpuLinkKind> kind = pcieKind(level);
    if (kind.isEmpty()) {
      reasons.add(name + ": skipped: unknown topology level " + level
          + " (expected: 0, 10, 20, 30, 40 or 50)");
      return Optional.empty();
    }
    return Optional.of(new GpuPeerLink(a.index(), b.index(), kind.get(), 0));
  }

  private Optional<Integer> p2p(Gpu a, Gpu b, int capsIndex, String name) {
    try {
      return Optional.of(nvml.p2pStatus(a.device(), b.device(), capsIndex));
    } catch (NvmlException e) {
      // Optional: without it the pair is still classified, only less is known about access.
      reasons.add(e.code() == NvmlException.MISSING_FUNCTION
          ? SOURCE + ": " + e.getMessage()
          : name + ": P2P status unknown: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The {@code nvidia-smi topo -m} kind for an {@code nvmlGpuTopologyLevel_t}. */
  public static Optional<GpuLinkKind> pcieKind(int level) {
    return Optional.ofNullable(switch (level) {
      case 0, 10 -> GpuLinkKind.PIX; // same board, or at most one PCIe switch
      case 20 -> GpuLinkKind.PXB;
      case 30 -> GpuLinkKind.PHB;
      case 40 -> GpuLinkKind.NODE;
      case 50 -> GpuLinkKind.SYS;
      default -> null;
    });
  }

  /** {@code nvmlGpuP2PStatus_t} in words. */
  static String p2pStatusName(int status) {
    return switch (status) {
      case 0 -> "OK";
      case 1 -> "chipset not supported";
      case 2 -> "GPU not supported";
      case 3 -> "IOH topology not supported";
      case 4 -> "disabled by regkey";
      case 5 -> "not supported";
      default -> "unknown (" + status + ")";
    };
  }

  private static void rethrowIfMissing(NvmlException e) throws NvmlException {
    if (e.code() == NvmlException.MISSING_FUNCTION) {
      throw e;
    }
  }
}
