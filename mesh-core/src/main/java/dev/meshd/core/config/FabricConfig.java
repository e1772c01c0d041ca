package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code fabric:} stage-transport preferences (used by the fabric issue).
 *
 * @param order transport groups in preference order; default
 *     {@code [nvlink, xgmi, rdma, libfabric-tcp, quic]}
 * @param rdmaProvider {@code auto} or a libfabric provider name such as {@code verbs}
 * @param certificateDir where the agent keeps its QUIC certificate and key; null when not
 *     configured: then {@link #certificateDir(Path)}'s default
 */
public record FabricConfig(List<String> order, String rdmaProvider, Path certificateDir) {
  /** The transport groups meshd knows. */
  public static final List<String> KNOWN_GROUPS =
      List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic");

  public FabricConfig {
    order = order == null ? KNOWN_GROUPS : List.copyOf(order);
    rdmaProvider = Objects.requireNonNullElse(rdmaProvider, "auto");
  }

  /** The certificate directory left to its default. */
  public FabricConfig(List<String> order, String rdmaProvider) {
    this(order, rdmaProvider, null);
  }

  /**
   * The directory of the agent's QUIC certificate: {@code fabric.certificate-dir}, else beside
   * the Raft storage, {@code <raft.data-dir>-fabric} (never inside it: Ratis owns that directory),
   * so that the certificate, and the fingerprint peers pin, survive restarts.
   */
  public Path certificateDir(Path raftDataDir) {
    if (certificateDir != null) {
      return certificateDir;
    }
    Path name = raftDataDir.getFileName();
    return raftDataDir.resolveSibling((name == null ? "node" : name.toString()) + "-fabric");
  }
}
