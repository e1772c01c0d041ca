package dev.meshd.agent.api;

import com.google.protobuf.Timestamp;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.proto.v1.Gpu;
import dev.meshd.proto.v1.GpuSource;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.NodeState;
import dev.meshd.proto.v1.Runtime;
import dev.meshd.proto.v1.RuntimeKind;
import dev.meshd.proto.v1.RuntimeStatus;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.GpuUsage;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.core.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Maps fleet domain records to the {@code meshd.v1} wire types; the only place that does. */
public final class NodeMapper {

  private NodeMapper() {}

  public static Node toNode(FleetMember member) {
    CapabilityRecord r = member.record();
    return Node.newBuilder()
        .setId(r.nodeId())
        .setHostId(r.hostId())
        .setAddress(r.grpcAddress())
        .setZone(r.zone())
        .setRegion(r.region())
        .putAllLabels(r.labels())
        .addAllRoles(r.roles().stream().sorted().toList())
        .setState(toState(member))
        .setAgentVersion(r.agentVersion())
        .setRecordVersion(r.recordVersion())
        .setLastUpdated(timestamp(member.lastUpdated()))
        .addAllGpus(r.gpus().stream().map(NodeMapper::toGpu).toList())
        .addAllRuntimes(r.runtimes().stream().map(NodeMapper::toRuntime).toList())
        .setFabric(FabricMapper.toFabric(r.fabric()))
        .setGossipAddress(r.gossipAddress())
        .setMetricsAddress(r.metricsAddress())
        .setFirstSeen(timestamp(member.firstSeen()))
        .setStateSince(timestamp(member.stateSince()))
        .build();
  }

  public static List<Node> toNodes(List<FleetMember> members) {
    return members.stream().map(NodeMapper::toNode).toList();
  }

  /** The node with its drain, if {@code store} has one for it. */
  public static Node toNode(FleetMember member, StoreSnapshot store) {
    Node node = toNode(member);
    return store.drain(node.getId())
        .map(drain -> {
          Node.Builder b = node.toBuilder().setDraining(true).setDrainReason(drain.reason());
          if (drain.requestedAt() != null) {
            b.setDrainingSince(timestamp(drain.requestedAt()));
          }
          return b.build();
        })
        .orElse(node);
  }

  public static List<Node> toNodes(List<FleetMember> members, StoreSnapshot store) {
    return members.stream().map(m -> toNode(m, store)).toList();
  }

  /**
   * The node with its drain, the load of each runtime {@code signals} has, and each GPU's usage
   * from the freshest source: a reading {@code signals} has that is fresh under {@code
   * staleAfter}, else the capability record's figures ({@link GpuUsage#freshest}, as the router
   * scores).
   */
  public static Node toNode(FleetMember member, StoreSnapshot store, SignalView signals,
      Duration staleAfter) {
    Node node = withFreshestGpus(toNode(member, store), member, signals, staleAfter);
    List<AgedSignal> received = signals.signals(node.getId());
    if (received.isEmpty()) {
      return node;
    }
    Node.Builder b = node.toBuilder();
    for (int i = 0; i < b.getRuntimesCount(); i++) {
      String endpoint = b.getRuntimes(i).getEndpoint();
      for (AgedSignal s : received) {
        if (s.signal().endpoint().equals(endpoint)) {
          b.setRuntimes(i, b.getRuntimes(i).toBuilder().setStatus(status(s)));
        }
      }
    }
    return b.build();
  }

  public static List<Node> toNodes(List<FleetMember> members, StoreSnapshot store,
      SignalView signals, Duration staleAfter) {
    return members.stream().map(m -> toNode(m, store, signals, staleAfter)).toList();
  }

  private static Node withFreshestGpus(Node node, FleetMember member, SignalView signals,
      Duration staleAfter) {
    GpuUsage usage = GpuUsage.freshest(member.record().gpus(), signals.gpus(node.getId()),
        staleAfter);
    if (usage.freshFor().isEmpty()) {
      return node; // the record's figures, already mapped
    }
    return node.toBuilder().clearGpus()
        .addAllGpus(usage.gpus().stream().map(NodeMapper::toGpu).toList())
        .build();
  }

  private static RuntimeStatus status(AgedSignal aged) {
    RuntimeSignal signal = aged.signal();
    return RuntimeStatus.newBuilder()
        .setHealthy(signal.healthy())
        .setReason(signal.reason().orElse(""))
        .setQueueDepth(signal.models().stream().mapToDouble(ModelLoad::queueDepth).sum())
        .setRunningRequests(
            signal.models().stream().mapToDouble(ModelLoad::runningRequests).sum())
        .setAge(duration(aged.age()))
        .build();
  }

  public static NodeEvent toEvent(FleetEvent event, StoreSnapshot store) {
    NodeEvent plain = toEvent(event);
    return plain.toBuilder().setNode(toNode(event.member(), store)).build();
  }

  public static NodeEvent toEvent(FleetEvent event) {
    return NodeEvent.newBuilder()
        .setType(
            switch (event.type()) {
              case ADDED -> NodeEventType.NODE_EVENT_TYPE_ADDED;
              case UPDATED -> NodeEventType.NODE_EVENT_TYPE_UPDATED;
              case STATE_CHANGED -> NodeEventType.NODE_EVENT_TYPE_STATE_CHANGED;
              case REMOVED -> NodeEventType.NODE_EVENT_TYPE_REMOVED;
            })
        .setNode(toNode(event.member()))
        .setTime(timestamp(event.time()))
        .build();
  }

  static NodeState toState(FleetMember member) {
    return switch (member.state()) {
      case ALIVE -> NodeState.NODE_STATE_ALIVE;
      case SUSPECT -> NodeState.NODE_STATE_SUSPECT;
      case DEAD -> NodeState.NODE_STATE_DEAD;
      case LEFT -> NodeState.NODE_STATE_LEFT;
    };
  }

  static Gpu toGpu(GpuInfo g) {
    return Gpu.newBuilder()
        .setIndex(g.index())
        .setUuid(g.uuid())
        .setModel(g.model())
        .setVramTotalBytes(g.vramTotalBytes())
        .setVramUsedBytes(g.vramUsedBytes())
        .setUtilization(g.utilization())
        .setMigProfile(g.migProfile())
        .setHealthy(g.healthy())
        .setSource(
            switch (g.source()) {
              case NVML -> GpuSource.GPU_SOURCE_NVML;
              case NVIDIA_SMI -> GpuSource.GPU_SOURCE_NVIDIA_SMI;
              case SIMULATED -> GpuSource.GPU_SOURCE_SIMULATED;
            })
        .build();
  }

  static Runtime toRuntime(RuntimeInfo r) {
    return Runtime.newBuilder()
        .setKind(
            switch (r.kind()) {
              case VLLM -> RuntimeKind.RUNTIME_KIND_VLLM;
              case SGLANG -> RuntimeKind.RUNTIME_KIND_SGLANG;
              case TGI -> RuntimeKind.RUNTIME_KIND_TGI;
            })
        .setEndpoint(r.endpoint())
        .addAllModels(r.models())
        .build();
  }

  /** A {@code java.time.Duration} as the wire type. */
  public static com.google.protobuf.Duration duration(java.time.Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
