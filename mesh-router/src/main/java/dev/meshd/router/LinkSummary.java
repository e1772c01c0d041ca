package dev.meshd.router;

import java.util.Objects;

/**
 * The slowest stage link of a pipeline placement, as negotiated by the fabric layer.
 *
 * @param fabricClass NVLINK, XGMI, RDMA_IB, RDMA_ROCE, EFA, CXI, LIBFABRIC_TCP or QUIC
 * @param bandwidthBytesPerSecond measured by the link's probe
 */
public record LinkSummary(String fabricClass, double bandwidthBytesPerSecond) {
  public LinkSummary {
    Objects.requireNonNull(fabricClass, "fabricClass");
    if (!(bandwidthBytesPerSecond >= 0)) {
      throw new IllegalArgumentException("bandwidthBytesPerSecond: " + bandwidthBytesPerSecond
          + " (expected: >= 0)");
    }
  }
}
