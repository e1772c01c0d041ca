package dev.meshd.core.fabric;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A class of interconnect a stage link can use, with the nominal bandwidth used to rank
 * candidates before a payload probe has measured the real one.
 *
 * <p>The nominal figures are the vendors' headline numbers, so they are not all measured the
 * same way: NVLink and Infinity Fabric (XGMI) are quoted per GPU as the sum over all its links
 * and both directions; network links are quoted per port and per direction. They only order
 * candidates; a measured bandwidth always replaces them. Sources are in {@code docs/fabric.md}.
 *
 * <p>Each class belongs to one group of {@code fabric.order} ({@link #group()}); the groups are
 * exactly {@code FabricConfig.KNOWN_GROUPS}. Immutable and thread-safe.
 */
public enum FabricClass {
  /** NVLink 4 on an H100 SXM: 18 links, 900 GB/s per GPU (both directions). */
  NVLINK("nvlink", 900_000_000_000L),
  /** AMD Infinity Fabric on an MI300X: 7 links, 896 GB/s per GPU (both directions). */
  XGMI("xgmi", 896_000_000_000L),
  /** InfiniBand HDR 4X port: 200 Gb/s = 25 GB/s per direction. */
  RDMA_IB("rdma", 25_000_000_000L),
  /** RoCE v2 on a 100 GbE port: 12.5 GB/s per direction. */
  RDMA_ROCE("rdma", 12_500_000_000L),
  /** AWS Elastic Fabric Adapter, one 100 Gb/s adapter (p4d has 4): 12.5 GB/s. */
  EFA("rdma", 12_500_000_000L),
  /** HPE Slingshot 11 (libfabric {@code cxi} provider): 200 Gb/s = 25 GB/s per direction. */
  CXI("rdma", 25_000_000_000L),
  /**
   * libfabric {@code tcp}/{@code sockets} providers: assumed 25 GbE, 3.125 GB/s; the kernel TCP
   * stack rather than the NIC is usually the limit.
   */
  LIBFABRIC_TCP("libfabric-tcp", 3_125_000_000L),
  /**
   * QUIC between agents: assumed 1 GB/s, a user-space QUIC stack on one connection (encryption
   * and per-packet processing in user space cap it well below the NIC).
   */
  QUIC("quic", 1_000_000_000L);

  private final String group;
  private final long nominalBytesPerSecond;

  FabricClass(String group, long nominalBytesPerSecond) {
    this.group = group;
    this.nominalBytesPerSecond = nominalBytesPerSecond;
  }

  /** The {@code fabric.order} group this class is chosen by, e.g. {@code rdma}. */
  public String group() {
    return group;
  }

  /** The vendor's headline bandwidth in bytes per second; see the class comment. */
  public long nominalBytesPerSecond() {
    return nominalBytesPerSecond;
  }

  /**
   * The classes a {@code fabric.order} group stands for, in declaration order.
   *
   * @throws IllegalArgumentException for a name that is not a known group
   */
  public static List<FabricClass> inGroup(String group) {
    Objects.requireNonNull(group, "group");
    List<FabricClass> found =
        Arrays.stream(values()).filter(c -> c.group.equals(group)).toList();
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "group: " + group + " (expected: nvlink, xgmi, rdma, libfabric-tcp or quic)");
    }
    return found;
  }
}
