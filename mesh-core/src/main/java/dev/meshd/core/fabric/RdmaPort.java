package dev.meshd.core.fabric;

import java.util.Objects;
import java.util.Optional;

/**
 * One port of an RDMA device, as sysfs or {@code ibv_devinfo} describe it.
 *
 * <p>Sources differ in what they say: {@code ibv_devinfo} without {@code -v} gives neither the
 * physical state nor the rate, which are then {@code 0}/empty and {@code 0.0}. Immutable.
 *
 * @param device device name, e.g. {@code mlx5_0}
 * @param port port number, from 1
 * @param state logical state (only {@code ACTIVE} carries traffic)
 * @param physStateCode physical state code, e.g. 5 for {@code LinkUp}; 0 when unknown
 * @param physState physical state name as reported, e.g. {@code LinkUp}; empty when unknown
 * @param rateGbps signalling rate in Gb/s as reported, e.g. 400 for {@code 400 Gb/sec (4X NDR)};
 *     0 when unknown
 * @param linkLayer InfiniBand, Ethernet (RoCE) or unspecified
 */
public record RdmaPort(
    String device,
    int port,
    RdmaPortState state,
    int physStateCode,
    String physState,
    double rateGbps,
    LinkLayer linkLayer) {

  public RdmaPort {
    Objects.requireNonNull(device, "device");
    if (device.isBlank()) {
      throw new IllegalArgumentException("device: blank (expected: a name such as mlx5_0)");
    }
    if (port < 1) {
      throw new IllegalArgumentException("port: " + port + " (expected: >= 1)");
    }
    Objects.requireNonNull(state, "state");
    if (physStateCode < 0) {
      throw new IllegalArgumentException(
          "physStateCode: " + physStateCode + " (expected: >= 0)");
    }
    Objects.requireNonNull(physState, "physState");
    if (!(rateGbps >= 0.0) || Double.isInfinite(rateGbps)) {
      throw new IllegalArgumentException("rateGbps: " + rateGbps + " (expected: >= 0, finite)");
    }
    Objects.requireNonNull(linkLayer, "linkLayer");
  }

  /** The rate in bytes per second (Gb/s × 10⁹ / 8), 0 when unknown. */
  public long rateBytesPerSecond() {
    return Math.round(rateGbps * 1e9 / 8);
  }

  /** Whether the port carries traffic now. */
  public boolean isActive() {
    return state == RdmaPortState.ACTIVE;
  }

  /** RDMA_IB or RDMA_ROCE by link layer; empty for an unspecified link layer. */
  public Optional<FabricClass> fabricClass() {
    return linkLayer.fabricClass();
  }
}
