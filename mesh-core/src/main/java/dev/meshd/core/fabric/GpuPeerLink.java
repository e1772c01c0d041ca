package dev.meshd.core.fabric;

import java.util.Objects;

/**
 * How two GPUs of one host are connected. Links are undirected: the constructor orders the pair
 * so that {@code gpuA < gpuB}, and two links for the same pair compare equal. Immutable.
 *
 * @param gpuA the lower GPU index
 * @param gpuB the higher GPU index
 * @param kind NVLink, XGMI or a PCIe path
 * @param linkCount bonded links for NVLink ({@code NV6} gives 6); 0 when the source does not say
 *     or the kind is a PCIe path
 */
public record GpuPeerLink(int gpuA, int gpuB, GpuLinkKind kind, int linkCount) {

  public GpuPeerLink {
    if (gpuA < 0 || gpuB < 0) {
      throw new IllegalArgumentException(
          "gpus: " + gpuA + ", " + gpuB + " (expected: indexes >= 0)");
    }
    if (gpuA == gpuB) {
      throw new IllegalArgumentException("gpus: " + gpuA + ", " + gpuB + " (expected: two GPUs)");
    }
    if (gpuA > gpuB) {
      int lower = gpuB;
      gpuB = gpuA;
      gpuA = lower;
    }
    Objects.requireNonNull(kind, "kind");
    if (linkCount < 0) {
      throw new IllegalArgumentException("linkCount: " + linkCount + " (expected: >= 0)");
    }
    if (linkCount > 0 && kind.fabricClass().isEmpty()) {
      throw new IllegalArgumentException(
          "linkCount: " + linkCount + " for " + kind + " (expected: 0 for a PCIe path)");
    }
  }

  /** Whether the pair talks over a GPU fabric (NVLink or XGMI) rather than PCIe. */
  public boolean isGpuFabric() {
    return kind.fabricClass().isPresent();
  }
}
