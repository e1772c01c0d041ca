package dev.meshd.core.capability;

import dev.meshd.core.fabric.NodeFabric;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a node can do: the slow-changing facts an agent publishes to the fleet through gossip.
 *
 * <p>Immutable. A node republishes a new record, with a higher {@link #recordVersion}, whenever
 * something in it changes. Readers must tolerate records of adjacent {@link #schemaVersion}s:
 * unknown fields are ignored when decoding.
 *
 * @param schemaVersion version of this record's layout, {@link #SCHEMA_VERSION} when written
 * @param nodeId unique node name from the config
 * @param hostId machine identity; nodes on one host may share NVLink
 * @param zone failure domain
 * @param region region
 * @param labels free-form labels from the config
 * @param roles {@code gpu}, {@code router}, {@code control}
 * @param agentVersion version of the agent that wrote the record
 * @param recordVersion increases with every republication by the same agent process
 * @param grpcAddress host:port of the agent's gRPC API
 * @param gossipAddress host:port of the agent's gossip transport
 * @param metricsAddress host:port of the agent's metrics endpoint
 * @param gpus the node's GPUs
 * @param runtimes the node's inference runtimes
 * @param fabric the node's interconnects and QUIC endpoint (since schema 2); empty when the
 *     writer is older or its discovery has not finished
 */
public record CapabilityRecord(
    int schemaVersion,
    String nodeId,
    String hostId,
    String zone,
    String region,
    Map<String, String> labels,
    Set<String> roles,
    String agentVersion,
    long recordVersion,
    String grpcAddress,
    String gossipAddress,
    String metricsAddress,
    List<GpuInfo> gpus,
    List<RuntimeInfo> runtimes,
    NodeFabric fabric) {

  /**
   * The layout this code writes. 1: the first layout; 2: adds {@link #fabric}. Readers of either
   * read both: a schema-1 record has an empty fabric here, and a schema-1 reader ignores the
   * field it does not know.
   */
  public static final int SCHEMA_VERSION = 2;

  public CapabilityRecord {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId: empty");
    }
    hostId = Objects.requireNonNullElse(hostId, "");
    zone = Objects.requireNonNullElse(zone, "");
    region = Objects.requireNonNullElse(region, "");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    agentVersion = Objects.requireNonNullElse(agentVersion, "");
    grpcAddress = Objects.requireNonNullElse(grpcAddress, "");
    gossipAddress = Objects.requireNonNullElse(gossipAddress, "");
    metricsAddress = Objects.requireNonNullElse(metricsAddress, "");
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    fabric = Objects.requireNonNullElse(fabric, NodeFabric.empty());
  }

  /** A record without fabric facts (as written before schema 2, and by most tests). */
  public CapabilityRecord(
      int schemaVersion,
      String nodeId,
      String hostId,
      String zone,
      String region,
      Map<String, String> labels,
      Set<String> roles,
      String agentVersion,
      long recordVersion,
      String grpcAddress,
      String gossipAddress,
      String metricsAddress,
      List<GpuInfo> gpus,
      List<RuntimeInfo> runtimes) {
    this(schemaVersion, nodeId, hostId, zone, region, labels, roles, agentVersion, recordVersion,
        grpcAddress, gossipAddress, metricsAddress, gpus, runtimes, NodeFabric.empty());
  }

  /** A copy with new GPU figures and the next record version. */
  public CapabilityRecord withGpus(List<GpuInfo> newGpus) {
    return new CapabilityRecord(
        schemaVersion, nodeId, hostId, zone, region, labels, roles, agentVersion,
        recordVersion + 1, grpcAddress, gossipAddress, metricsAddress, newGpus, runtimes,
        fabric);
  }

  /** A copy with new runtime facts (models discovered) and the next record version. */
  public CapabilityRecord withRuntimes(List<RuntimeInfo> newRuntimes) {
    return new CapabilityRecord(
        schemaVersion, nodeId, hostId, zone, region, labels, roles, agentVersion,
        recordVersion + 1, grpcAddress, gossipAddress, metricsAddress, gpus, newRuntimes,
        fabric);
  }

  /** A copy with new fabric facts (rediscovered, or a QUIC endpoint) and the next version. */
  public CapabilityRecord withFabric(NodeFabric newFabric) {
    return new CapabilityRecord(
        schemaVersion, nodeId, hostId, zone, region, labels, roles, agentVersion,
        recordVersion + 1, grpcAddress, gossipAddress, metricsAddress, gpus, runtimes,
        Objects.requireNonNull(newFabric, "newFabric"));
  }

  /** Sum of the GPUs' total memory. */
  public long vramTotalBytes() {
    return gpus.stream().mapToLong(GpuInfo::vramTotalBytes).sum();
  }

  /** Sum of the GPUs' used memory. */
  public long vramUsedBytes() {
    return gpus.stream().mapToLong(GpuInfo::vramUsedBytes).sum();
  }
}
