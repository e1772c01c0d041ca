package dev.meshd.core.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code fabric:} stage-transport preferences (used by the fabric issue).
 *
 * @param order transport groups in preference order; default
 *     {@code [nvlink, xgmi, rdma, libfabric-tcp, quic]}
 * @param rdmaProvider {@code auto} or a libfabric provider name such as {@code verbs}
 */
public record FabricConfig(List<String> order, String rdmaProvider) {
  /** The transport groups meshd knows. */
  public static final List<String> KNOWN_GROUPS =
      List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");

  public FabricConfig {
    order = order == null ? KNOWN_GROUPS : List.copyOf(order);
    rdmaProvider = Objects.requireNonNullElse(rdmaProvider, "auto");
  }
}
