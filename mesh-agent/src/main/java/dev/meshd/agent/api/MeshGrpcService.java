package dev.meshd.agent.api;

import com.google.protobuf.Duration;
import dev.meshd.agent.store.StoreReader;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.config.RouterConfig;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.signal.GpuUsage;
import dev.meshd.core.signal.SignalView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.proto.v1.GetNodeRequest;
import dev.meshd.proto.v1.GetStatsRequest;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.ListNodesResponse;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.Node;
import dev.meshd.proto.v1.NodeEvent;
import dev.meshd.proto.v1.NodeEventType;
import dev.meshd.proto.v1.Stats;
import dev.meshd.proto.v1.WatchNodesRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshd.v1.MeshService}: answers from this agent's {@link FleetView}, with each node's
 * drain from this agent's view of the policy store. Thread-safe.
 */
public final class MeshGrpcService extends MeshServiceGrpc.MeshServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(MeshGrpcService.class);

  private final FleetView fleet;
  private final Supplier<CapabilityRecord> self;
  private final LongSupplier rejectedRecords;
  private final Clock clock;
  private final Instant startedAt;
  private final StoreReader store;
  private final SignalView signals;
  private final java.time.Duration staleAfter;
  private final java.util.Set<Runnable> openWatches = java.util.concurrent.ConcurrentHashMap
      .newKeySet();

  /**
   * @param store this agent's view of the policy store, for the nodes' drains
   */
  public MeshGrpcService(
      FleetView fleet, Supplier<CapabilityRecord> self, LongSupplier rejectedRecords,
      Clock clock, StoreReader store) {
    this(fleet, self, rejectedRecords, clock, store, node -> List.of(),
        RouterConfig.DEFAULT_STALE_AFTER);
  }

  /**
   * @param signals runtime load and GPU readings as this agent has them, shown per runtime and
   *     per GPU in ListNodes, GetNode and a watch's initial nodes (a watch sends no event per
   *     load change: too chatty), and this agent's own GPU usage in GetStats
   * @param staleAfter {@code router.stale-after}: a GPU reading fresh under it is shown instead
   *     of the record's figures, as the router would score it
   */
  public MeshGrpcService(
      FleetView fleet, Supplier<CapabilityRecord> self, LongSupplier rejectedRecords,
      Clock clock, StoreReader store, SignalView signals, java.time.Duration staleAfter) {
    this.signals = signals;
    this.staleAfter = staleAfter;
    this.fleet = fleet;
    this.self = self;
    this.rejectedRecords = rejectedRecords;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.store = store;
  }

  public MeshGrpcService(
      FleetView fleet, Supplier<CapabilityRecord> self, LongSupplier rejectedRecords,
      Clock clock) {
    this(fleet, self, rejectedRecords, clock, StoreReader.fixed(StoreSnapshot.EMPTY));
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
    response.onNext(
        ListNodesResponse.newBuilder()
            .addAllNodes(NodeMapper.toNodes(fleet.members(), store.snapshot(), signals,
                staleAfter))
            .build());
    response.onCompleted();
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<Node> response) {
    if (request.getId().isBlank()) {
      response.onError(
          Status.INVALID_ARGUMENT.withDescription("id: empty (expected: a node id)")
              .asRuntimeException());
      return;
    }
    fleet.member(request.getId())
        .ifPresentOrElse(
            member -> {
              response.onNext(NodeMapper.toNode(member, store.snapshot(), signals, staleAfter));
              response.onCompleted();
            },
            () ->
                response.onError(
                    Status.NOT_FOUND.withDescription("node \"" + request.getId() + "\"")
                        .asRuntimeException()));
  }

  @Override
  public void watchNodes(WatchNodesRequest request, StreamObserver<NodeEvent> response) {
    ServerCallStreamObserver<NodeEvent> call = (ServerCallStreamObserver<NodeEvent>) response;
    Object lock = new Object();
    // Subscribe before reading the snapshot so no change falls between them; a change seen in
    // both is sent twice, which readers treat as an idempotent upsert.
    FleetView.Subscription subscription =
        fleet.subscribe(
            event -> {
              synchronized (lock) {
                if (!call.isCancelled()) {
                  call.onNext(NodeMapper.toEvent(event, store.snapshot()));
                }
              }
            });
    // A drain or uncordon changes a node as list-nodes shows it: an UPDATED event for it.
    AtomicReference<Map<String, NodeDrain>> drains =
        new AtomicReference<>(store.snapshot().drains());
    java.util.concurrent.atomic.AtomicBoolean completed =
        new java.util.concurrent.atomic.AtomicBoolean(); // set under lock
    AutoCloseable drainSubscription = store.onChange(snapshot -> {
      Map<String, NodeDrain> before = drains.getAndSet(snapshot.drains());
      Set<String> changed = new TreeSet<>(before.keySet());
      changed.addAll(snapshot.drains().keySet());
      changed.removeIf(id -> Objects.equals(before.get(id), snapshot.drains().get(id)));
      synchronized (lock) {
        for (String id : changed) {
          if (call.isCancelled() || completed.get()) {
            break;
          }
          fleet.member(id).ifPresent(member ->
              call.onNext(NodeEvent.newBuilder()
                  .setType(NodeEventType.NODE_EVENT_TYPE_UPDATED)
                  .setNode(NodeMapper.toNode(member, snapshot))
                  .setTime(NodeMapper.timestamp(clock.instant()))
                  .build()));
        }
      }
    });
    Runnable complete =
        () -> {
          subscription.close();
          closeQuietly(drainSubscription);
          synchronized (lock) {
            completed.set(true);
            if (!call.isCancelled()) {
              call.onCompleted();
            }
          }
        };
    openWatches.add(complete);
    call.setOnCancelHandler(
        () -> {
          subscription.close();
          closeQuietly(drainSubscription);
          openWatches.remove(complete);
        });
    if (!request.getSkipInitial()) {
      synchronized (lock) {
        Instant now = clock.instant();
        for (FleetMember member : fleet.members()) {
          call.onNext(
              NodeEvent.newBuilder()
                  .setType(NodeEventType.NODE_EVENT_TYPE_ADDED)
                  .setNode(NodeMapper.toNode(member, store.snapshot(), signals, staleAfter))
                  .setTime(NodeMapper.timestamp(now))
                  .build());
        }
        call.onNext(
            NodeEvent.newBuilder()
                .setType(NodeEventType.NODE_EVENT_TYPE_SYNCED)
                .setTime(NodeMapper.timestamp(now))
                .build());
      }
    }
    LOG.debug("watch-nodes stream opened");
  }

  /**
   * Ends every open {@code WatchNodes} stream normally, so that watching clients see the end of
   * the stream rather than a cancellation when this agent shuts down.
   */
  public void completeWatches() {
    for (Runnable complete : openWatches) {
      openWatches.remove(complete);
      complete.run();
    }
  }

  private static void closeQuietly(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing a store subscription failed: {}", e.toString());
    }
  }

  @Override
  public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
    List<FleetMember> members = fleet.members();
    Map<MemberState, Long> byState =
        members.stream().collect(Collectors.groupingBy(FleetMember::state, Collectors.counting()));
    CapabilityRecord record = self.get();
    // The record republishes usage only sparingly: this agent's own readings are fresher.
    GpuUsage gpus = GpuUsage.freshest(record.gpus(), signals.gpus(record.nodeId()), staleAfter);
    long vramTotal = gpus.gpus().stream().mapToLong(GpuInfo::vramTotalBytes).sum();
    long vramUsed = gpus.gpus().stream().mapToLong(GpuInfo::vramUsedBytes).sum();
    java.time.Duration uptime = java.time.Duration.between(startedAt, clock.instant());
    response.onNext(
        Stats.newBuilder()
            .setNodeId(record.nodeId())
            .setAgentVersion(record.agentVersion())
            .setUptime(
                Duration.newBuilder().setSeconds(uptime.getSeconds()).setNanos(uptime.getNano()))
            .setMembersAlive(byState.getOrDefault(MemberState.ALIVE, 0L).intValue())
            .setMembersSuspect(byState.getOrDefault(MemberState.SUSPECT, 0L).intValue())
            .setMembersDead(byState.getOrDefault(MemberState.DEAD, 0L).intValue())
            .setMembersLeft(byState.getOrDefault(MemberState.LEFT, 0L).intValue())
            .setRecordsRejected(rejectedRecords.getAsLong())
            .setRecordVersion(record.recordVersion())
            .setGpus(record.gpus().size())
            .setVramTotalBytes(vramTotal)
            .setVramUsedBytes(vramUsed)
            .build());
    response.onCompleted();
  }
}
