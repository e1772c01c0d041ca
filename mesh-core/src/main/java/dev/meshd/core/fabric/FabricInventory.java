package dev.meshd.core.fabric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one node's discovery found of its interconnects: the {@code fabric} part of a capability
 * record, before it is published. Each discovery source (sysfs, a tool's output) produces one
 * inventory; {@link #merge} joins them.
 *
 * <p>An absent fabric is not an error: {@link #reasons()} says in words why something is
 * missing ("no /sys/class/infiniband", "nvidia-smi not found") or was skipped, so that an
 * operator can tell "nothing there" from "could not look". Immutable; lists are copies.
 *
 * @param rdmaPorts RDMA ports in any state, ordered by device then port
 * @param gpuPeerLinks links between pairs of this host's GPUs
 * @param nvlinkLanes per-GPU NVLink lanes with their speeds
 * @param libfabricProviders libfabric providers {@code fi_getinfo} (or {@code fi_info}) found,
 *     one entry per provider and domain
 * @param reasons why something is absent or was skipped; never blank
 */
public record FabricInventory(
    List<RdmaPort> rdmaPorts,
    List<GpuPeerLink> gpuPeerLinks,
    List<NvLinkLane> nvlinkLanes,
    List<LibfabricProvider> libfabricProviders,
    List<String> reasons) {

  private static final FabricInventory EMPTY =
      new FabricInventory(List.of(), List.of(), List.of(), List.of(), List.of());

  public FabricInventory {
    rdmaPorts = List.copyOf(Objects.requireNonNull(rdmaPorts, "rdmaPorts"));
    gpuPeerLinks = List.copyOf(Objects.requireNonNull(gpuPeerLinks, "gpuPeerLinks"));
    nvlinkLanes = List.copyOf(Objects.requireNonNull(nvlinkLanes, "nvlinkLanes"));
    libfabricProviders =
        List.copyOf(Objects.requireNonNull(libfabricProviders, "libfabricProviders"));
    reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    for (String reason : reasons) {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("reasons: a blank entry (expected: words)");
      }
    }
  }

  /** Nothing found and nothing to say. */
  public static FabricInventory empty() {
    return EMPTY;
  }

  /** Nothing found, for the given reason. */
  public static FabricInventory absent(String reason) {
    return new FabricInventory(List.of(), List.of(), List.of(), List.of(), List.of(reason));
  }

  /** Both inventories' entries, this one's first. */
  public FabricInventory merge(FabricInventory other) {
    Objects.requireNonNull(other, "other");
    return new FabricInventory(
        concat(rdmaPorts, other.rdmaPorts),
        concat(gpuPeerLinks, other.gpuPeerLinks),
        concat(nvlinkLanes, other.nvlinkLanes),
        concat(libfabricProviders, other.libfabricProviders),
        concat(reasons, other.reasons));
  }

  /** Whether nothing at all was found (reasons aside). */
  public boolean isEmpty() {
    return rdmaPorts.isEmpty() && gpuPeerLinks.isEmpty() && nvlinkLanes.isEmpty()
        && libfabricProviders.isEmpty();
  }

  /**
   * The fabric classes this node can offer now: those of its active RDMA ports and of its
   * NVLink/XGMI peer links, and of the libfabric providers found. QUIC depends on configuration,
   * not on this inventory, so it is not included. Iterates in declaration order.
   */
  public Set<FabricClass> fabricClasses() {
    Set<FabricClass> classes = EnumSet.noneOf(FabricClass.class);
    for (RdmaPort port : rdmaPorts) {
      if (port.isActive()) {
        port.fabricClass().ifPresent(classes::add);
      }
    }
    for (GpuPeerLink link : gpuPeerLinks) {
      link.kind().fabricClass().ifPresent(classes::add);
    }
    for (LibfabricProvider provider : libfabricProviders) {
      classes.add(provider.fabricClass());
    }
    return Collections.unmodifiableSet(classes);
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first.size() + second.size());
    all.addAll(first);
    all.addAll(second);
    return all;
  }
}
