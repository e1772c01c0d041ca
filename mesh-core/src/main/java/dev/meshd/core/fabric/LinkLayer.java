package dev.meshd.core.fabric;

import java.util.Optional;

/**
 * The link layer under an RDMA port, as sysfs {@code link_layer} and {@code ibv_devinfo} name
 * it. It decides the fabric class: InfiniBand ports are {@link FabricClass#RDMA_IB}, Ethernet
 * ports RoCE ({@link FabricClass#RDMA_ROCE}).
 */
public enum LinkLayer {
  /** {@code InfiniBand}. */
  INFINIBAND("InfiniBand"),
  /** {@code Ethernet}: RDMA over Converged Ethernet. */
  ETHERNET("Ethernet"),
  /**
   * {@code Unspecified}: the kernel's answer for devices that are neither (AWS EFA reports this).
   * Such a port has no fabric class of its own; libfabric's provider list tells what it is.
   */
  UNSPECIFIED("Unspecified");

  private final String label;

  LinkLayer(String label) {
    this.label = label;
  }

  /** The name as the kernel prints it. */
  public String label() {
    return label;
  }

  /** The fabric class of a port on this link layer; empty for {@link #UNSPECIFIED}. */
  public Optional<FabricClass> fabricClass() {
    return switch (this) {
      case INFINIBAND -> Optional.of(FabricClass.RDMA_IB);
      case ETHERNET -> Optional.of(FabricClass.RDMA_ROCE);
      case UNSPECIFIED -> Optional.empty();
    };
  }

  /** The link layer the kernel names {@code label} (exact, case-sensitive), or empty. */
  public static Optional<LinkLayer> ofLabel(String label) {
    for (LinkLayer layer : values()) {
      if (layer.label.equals(label)) {
        return Optional.of(layer);
      }
    }
    return Optional.empty();
  }
}
