package dev.meshd.core.fabric;

import java.util.Optional;

/**
 * How two GPUs of one host reach each other, in the vocabulary of {@code nvidia-smi topo -m}
 * and {@code rocm-smi --showtopo}. Only {@link #NVLINK} and {@link #XGMI} are GPU fabrics; the
 * rest are PCIe paths, from the shortest ({@link #PIX}) to the longest ({@link #SYS}).
 */
public enum GpuLinkKind {
  /** {@code NV#}: a bonded set of # NVLinks. */
  NVLINK,
  /** AMD Infinity Fabric ({@code XGMI} in rocm-smi). */
  XGMI,
  /** {@code PIX}: at most one PCIe bridge. */
  PIX,
  /** {@code PXB}: several PCIe bridges, not through the host bridge. */
  PXB,
  /** {@code PHB}: through a PCIe host bridge (typically the CPU). */
  PHB,
  /** {@code NODE}: between host bridges within one NUMA node. */
  NODE,
  /** {@code SYS} (older drivers: {@code SOC}): across the SMP interconnect between NUMA nodes. */
  SYS,
  /** {@code PCIE} in rocm-smi, which does not say which PCIe path. */
  PCIE;

  /** The GPU fabric class for NVLink and XGMI; empty for PCIe paths. */
  public Optional<FabricClass> fabricClass() {
    return switch (this) {
      case NVLINK -> Optional.of(FabricClass.NVLINK);
      case XGMI -> Optional.of(FabricClass.XGMI);
      default -> Optional.empty();
    };
  }
}
