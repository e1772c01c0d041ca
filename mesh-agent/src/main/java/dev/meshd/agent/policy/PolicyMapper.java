package dev.meshd.agent.policy;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.Hedging;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.Replica;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.proto.v1.ChangeType;
import java.time.Instant;
import java.util.List;

/**
 * Maps policy-store documents between the {@code meshd.v1} wire types and the domain records of
 * {@code dev.meshd.core.policy}; the only place that does. Validation is the store's: this maps
 * field by field and leaves judging to {@code PolicyValidator} and {@code PlacementValidator}.
 */
public final class PolicyMapper {

  private PolicyMapper() {}

  public static Policy toDomain(dev.meshd.proto.v1.Policy p) {
    return new Policy(
        p.getName(),
        p.getModelSelector(),
        p.getStrategy(),
        p.getWeightsMap(),
        new Admission(p.getAdmission().getMaxQueueDepthPerTarget(),
            p.getAdmission().getMaxInFlightPerTenant()),
        new Hedging(p.getHedging().getEnabled(), toJava(p.getHedging().getDelay())),
        p.getRevision());
  }

  public static dev.meshd.proto.v1.Policy toProto(Policy p) {
    return dev.meshd.proto.v1.Policy.newBuilder()
        .setName(p.name())
        .setModelSelector(p.modelSelector())
        .setStrategy(p.strategy())
        .putAllWeights(p.weights())
        .setAdmission(dev.meshd.proto.v1.Admission.newBuilder()
            .setMaxQueueDepthPerTarget(p.admission().maxQueueDepthPerTarget())
            .setMaxInFlightPerTenant(p.admission().maxInFlightPerTenant()))
        .setHedging(dev.meshd.proto.v1.Hedging.newBuilder()
            .setEnabled(p.hedging().enabled())
            .setDelay(toProto(p.hedging().delay())))
        .setRevision(p.revision())
        .build();
  }

  public static Placement toDomain(dev.meshd.proto.v1.Placement p) {
    return new Placement(
        p.getName(),
        p.getModel(),
        p.getReplicasList().stream()
            .map(r -> new Replica(r.getNodeId(), toInts(r.getGpuIndexesList())))
            .toList(),
        p.getStagesList().stream()
            .map(s -> new Stage(s.getIndex(), s.getFirstLayer(), s.getLastLayer(), s.getNodeId(),
                toInts(s.getGpuIndexesList())))
            .toList(),
        p.getLinksList().stream()
            .map(l -> new StageLink(l.getFromStage(), l.getToStage(),
                l.hasStatus() ? toDomain(l.getStatus()) : LinkStatus.PENDING))
            .toList(),
        java.util.Set.copyOf(p.getCordonedNodesList()),
        p.getRevision());
  }

  public static dev.meshd.proto.v1.Placement toProto(Placement p) {
    var b = dev.meshd.proto.v1.Placement.newBuilder()
        .setName(p.name())
        .setModel(p.model())
        .addAllCordonedNodes(p.cordonedNodes())
        .setRevision(p.revision());
    p.replicas().forEach(r -> b.addReplicas(dev.meshd.proto.v1.Replica.newBuilder()
        .setNodeId(r.nodeId()).addAllGpuIndexes(r.gpus())));
    p.stages().forEach(s -> b.addStages(dev.meshd.proto.v1.Stage.newBuilder()
        .setIndex(s.index()).setFirstLayer(s.firstLayer()).setLastLayer(s.lastLayer())
        .setNodeId(s.nodeId()).addAllGpuIndexes(s.gpus())));
    p.links().forEach(l -> b.addLinks(dev.meshd.proto.v1.StageLink.newBuilder()
        .setFromStage(l.fromStage()).setToStage(l.toStage()).setStatus(toProto(l.status()))));
    return b.build();
  }

  public static dev.meshd.proto.v1.StoreChange toProto(StoreChange change) {
    var b = dev.meshd.proto.v1.StoreChange.newBuilder()
        .setRevision(change.revision())
        .setType(switch (change.type()) {
          case PUT -> ChangeType.CHANGE_TYPE_PUT;
          case DELETE -> ChangeType.CHANGE_TYPE_DELETE;
        });
    switch (change.kind()) {
      case POLICY -> b.setPolicy(change.policy() != null ? toProto(change.policy())
          : dev.meshd.proto.v1.Policy.newBuilder().setName(change.name()).build());
      case PLACEMENT -> b.setPlacement(change.placement() != null
          ? toProto(change.placement())
          : dev.meshd.proto.v1.Placement.newBuilder().setName(change.name()).build());
      case DRAIN -> b.setDrain(change.drain() != null ? toProto(change.drain())
          : dev.meshd.proto.v1.NodeDrain.newBuilder().setNodeId(change.name()).build());
    }
    return b.build();
  }

  /**
   * A watched change as the domain sees it, for readers of a remote store.
   *
   * @throws IllegalArgumentException for a change without a document or type (a newer agent's
   *     kind, say), which the reader cannot apply
   */
  public static StoreChange toDomain(dev.meshd.proto.v1.StoreChange c) {
    boolean put = switch (c.getType()) {
      case CHANGE_TYPE_PUT -> true;
      case CHANGE_TYPE_DELETE -> false;
      case CHANGE_TYPE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("change " + c.getRevision() + ": type " + c.getType());
    };
    return switch (c.getDocumentCase()) {
      case POLICY -> put ? StoreChange.put(toDomain(c.getPolicy()))
          : StoreChange.delete(c.getRevision(), DocumentKind.POLICY, c.getPolicy().getName());
      case PLACEMENT -> put ? StoreChange.put(toDomain(c.getPlacement()))
          : StoreChange.delete(c.getRevision(), DocumentKind.PLACEMENT,
              c.getPlacement().getName());
      case DRAIN -> put ? StoreChange.put(toDomain(c.getDrain()))
          : StoreChange.delete(c.getRevision(), DocumentKind.DRAIN, c.getDrain().getNodeId());
      case DOCUMENT_NOT_SET -> throw new IllegalArgumentException(
          "change " + c.getRevision() + ": no document");
    };
  }

  public static NodeDrain toDomain(dev.meshd.proto.v1.NodeDrain d) {
    return new NodeDrain(d.getNodeId(), d.getReason(),
        d.hasRequestedAt() ? toInstant(d.getRequestedAt()) : null, d.getRevision());
  }

  public static dev.meshd.proto.v1.NodeDrain toProto(NodeDrain d) {
    var b = dev.meshd.proto.v1.NodeDrain.newBuilder()
        .setNodeId(d.nodeId())
        .setReason(d.reason())
        .setRevision(d.revision());
    if (d.requestedAt() != null) {
      b.setRequestedAt(toTimestamp(d.requestedAt()));
    }
    return b.build();
  }

  static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Timestamp toTimestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  public static LinkStatus toDomain(dev.meshd.proto.v1.LinkStatus s) {
    return new LinkStatus(
        s.getTransport(),
        s.getFabricClass(),
        s.getBandwidthBytesPerSecond(),
        s.getRtt().getSeconds() * 1_000_000 + s.getRtt().getNanos() / 1_000,
        switch (s.getState()) {
          case LINK_STATE_ESTABLISHED -> LinkState.UP;
          case LINK_STATE_DEGRADED -> LinkState.DEGRADED;
          case LINK_STATE_FAILED -> LinkState.FAILED;
          case LINK_STATE_DOWN -> LinkState.DOWN;
          case LINK_STATE_UNSPECIFIED, LINK_STATE_PENDING, LINK_STATE_NEGOTIATING, UNRECOGNIZED ->
              LinkState.PENDING;
        },
        s.getReason(),
        s.getFallbackReasonsList(),
        s.hasNegotiatedAt()
            ? Instant.ofEpochSecond(s.getNegotiatedAt().getSeconds(), s.getNegotiatedAt().getNanos())
            : null);
  }

  public static dev.meshd.proto.v1.LinkStatus toProto(LinkStatus s) {
    var b = dev.meshd.proto.v1.LinkStatus.newBuilder()
        .setTransport(s.transport())
        .setFabricClass(s.fabricClass())
        .setBandwidthBytesPerSecond(s.bandwidthBytesPerSecond())
        .setRtt(toProto(java.time.Duration.ofNanos(s.rttMicros() * 1_000)))
        .setState(switch (s.state()) {
          case PENDING -> dev.meshd.proto.v1.LinkState.LINK_STATE_PENDING;
          case UP -> dev.meshd.proto.v1.LinkState.LINK_STATE_ESTABLISHED;
          case DEGRADED -> dev.meshd.proto.v1.LinkState.LINK_STATE_DEGRADED;
          case FAILED -> dev.meshd.proto.v1.LinkState.LINK_STATE_FAILED;
          case DOWN -> dev.meshd.proto.v1.LinkState.LINK_STATE_DOWN;
        })
        .setReason(s.reason())
        .addAllFallbackReasons(s.fallbackReasons());
    if (s.negotiatedAt() != null) {
      b.setNegotiatedAt(Timestamp.newBuilder().setSeconds(s.negotiatedAt().getEpochSecond())
          .setNanos(s.negotiatedAt().getNano()));
    }
    return b.build();
  }

  private static List<Integer> toInts(List<Integer> unsigned) {
    return unsigned.stream().map(Integer::intValue).toList();
  }

  private static java.time.Duration toJava(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static Duration toProto(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
