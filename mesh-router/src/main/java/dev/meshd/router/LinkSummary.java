package dev.meshd.router;

import java.util.Objects;

/**
 * The slowest stage link of a pipeline placement, as negotiated by the fabric layer.
 *
 * @param fabricClass NVLINK, XGMI, RDMA_IB, RDMA_ROCE, EFA, CXI, LIBFABRIC_TCP or QUIC
 * @param bandwidthBytesPerSecond measured by the link's probe; 0 when unknown
 * @param rttMicros round-trip time measured by the link's probe (its pings); 0 when unknown
 */
public record LinkSummary(String fabricClass, double bandwidthBytesPerSecond, long rttMicros) {
  public LinkSummary {
    Objects.requireNonNull(fabricClass, "fabricClass");
    if (!(bandwidthBytesPerSecond >= 0)) {
      throw new IllegalArgumentException("bandwidthBytesPerSecond: " + bandwidthBytesPerSecond
          + " (expected: >= 0)");
    }
    if (rttMicros < 0) {
      throw new IllegalArgumentException("rttMicros: " + rttMicros + " (expected: >= 0)");
    }
  }

  /** A link whose round-trip time is not known. */
  public LinkSummary(String fabricClass, double bandwidthBytesPerSecond) {
    this(fabricClass, bandwidthBytesPerSecond, 0);
  }
}
