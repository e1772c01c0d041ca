package dev.meshd.agent.policy;

import dev.meshd.agent.api.ResponseWarnings;
import dev.meshd.agent.auth.Caller;
import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.WatchListener;
import dev.meshd.proto.v1.DeletePlacementRequest;
import dev.meshd.proto.v1.DeletePolicyRequest;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.ListDrainsRequest;
import dev.meshd.proto.v1.ListDrainsResponse;
import dev.meshd.proto.v1.UncordonNodeRequest;
import dev.meshd.proto.v1.GetPlacementRequest;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.ListPlacementsRequest;
import dev.meshd.proto.v1.ListPlacementsResponse;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.ListPoliciesResponse;
import dev.meshd.proto.v1.Placement;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.PutPlacementRequest;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshd.v1.PolicyService} documents (policies, placements, node drains) and watch, over a
 * {@link PolicyStore}. The store's
 * Raft client sends writes to the leader, so every agent accepts writes. Every accepted write is
 * logged on the {@code meshd.audit} logger with the caller's token name. Reads are linearizable
 * unless the request sets {@code serializable}: then this replica answers from its own copy,
 * which may trail the leader. Thread-safe.
 */
public final class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

  private static final Logger AUDIT = LoggerFactory.getLogger("meshd.audit");

  private static final Logger LOG = LoggerFactory.getLogger(PolicyGrpcService.class);

  private final PolicyStore store;
  private final PolicyStore localReads;
  private final ClusterAdminService admin;
  private final Function<dev.meshd.core.policy.Placement, List<String>> placementWarnings;
  private final Function<NodeDrain, List<String>> drainWarnings;
  private final Clock clock;

  /**
   * @param store writes, linearizable reads and watches
   * @param localReads reads of requests with {@code serializable} set: this replica's copy,
   *     possibly stale, answered without a round trip to the leader
   * @param placementWarnings what to tell the caller about a stored placement (sent as {@code
   *     meshd-warning} headers and logged), e.g. {@link PlacementCheck#warnings}
   * @param drainWarnings the same for a stored drain, e.g. {@link DrainCheck#warnings}
   * @param clock stamps a drain's {@code requestedAt}
   */
  public PolicyGrpcService(PolicyStore store, PolicyStore localReads, ClusterAdminService admin,
      Function<dev.meshd.core.policy.Placement, List<String>> placementWarnings,
      Function<NodeDrain, List<String>> drainWarnings, Clock clock) {
    this.store = store;
    this.localReads = localReads;
    this.admin = admin;
    this.placementWarnings = placementWarnings;
    this.drainWarnings = drainWarnings;
    this.clock = clock;
  }

  public PolicyGrpcService(PolicyStore store, PolicyStore localReads, ClusterAdminService admin,
      Function<dev.meshd.core.policy.Placement, List<String>> placementWarnings) {
    this(store, localReads, admin, placementWarnings, drain -> List.of(), Clock.systemUTC());
  }

  public PolicyGrpcService(PolicyStore store, ClusterAdminService admin) {
    this(store, store, admin, placement -> List.of());
  }

  @Override
  public void putPolicy(PutPolicyRequest request, StreamObserver<Policy> response) {
    Caller caller = Caller.current();
    answer(
        mapped(() -> store.putPolicy(PolicyMapper.toDomain(request.getPolicy()),
            expected(request.hasExpectedRevision(), request.getExpectedRevision()))),
        stored -> {
          audit(caller, "put", DocumentKind.POLICY, stored.name(), stored.revision());
          return PolicyMapper.toProto(stored);
        },
        response);
  }

  @Override
  public void getPolicy(GetPolicyRequest request, StreamObserver<Policy> response) {
    answer(reads(request.getSerializable()).getPolicy(request.getName()), PolicyMapper::toProto,
        response);
  }

  @Override
  public void listPolicies(ListPoliciesRequest request,
      StreamObserver<ListPoliciesResponse> response) {
    answer(reads(request.getSerializable()).listPolicies(),
        listing -> ListPoliciesResponse.newBuilder()
            .addAllPolicies(listing.items().stream().map(PolicyMapper::toProto).toList())
            .setRevision(listing.revision())
            .build(),
        response);
  }

  @Override
  public void deletePolicy(DeletePolicyRequest request, StreamObserver<DeleteResponse> response) {
    Caller caller = Caller.current();
    answer(
        store.deletePolicy(request.getName(),
            expected(request.hasExpectedRevision(), request.getExpectedRevision())),
        revision -> {
          audit(caller, "delete", DocumentKind.POLICY, request.getName(), revision);
          return DeleteResponse.newBuilder().setRevision(revision).build();
        },
        response);
  }

  @Override
  public void putPlacement(PutPlacementRequest request, StreamObserver<Placement> response) {
    Caller caller = Caller.current();
    ResponseWarnings.Sink warnings = ResponseWarnings.forCurrentCall();
    answer(
        mapped(() -> store.putPlacement(PolicyMapper.toDomain(request.getPlacement()),
            expected(request.hasExpectedRevision(), request.getExpectedRevision()))),
        stored -> {
          audit(caller, "put", DocumentKind.PLACEMENT, stored.name(), stored.revision());
          for (String warning : placementWarnings.apply(stored)) {
            LOG.warn("placement \"{}\": {}", stored.name(), warning);
            warnings.add(warning);
          }
          return PolicyMapper.toProto(stored);
        },
        response);
  }

  @Override
  public void getPlacement(GetPlacementRequest request, StreamObserver<Placement> response) {
    answer(reads(request.getSerializable()).getPlacement(request.getName()),
        PolicyMapper::toProto, response);
  }

  @Override
  public void listPlacements(ListPlacementsRequest request,
      StreamObserver<ListPlacementsResponse> response) {
    answer(reads(request.getSerializable()).listPlacements(),
        listing -> ListPlacementsResponse.newBuilder()
            .addAllPlacements(listing.items().stream().map(PolicyMapper::toProto).toList())
            .setRevision(listing.revision())
            .build(),
        response);
  }

  @Override
  public void deletePlacement(DeletePlacementRequest request,
      StreamObserver<DeleteResponse> response) {
    Caller caller = Caller.current();
    answer(
        store.deletePlacement(request.getName(),
            expected(request.hasExpectedRevision(), request.getExpectedRevision())),
        revision -> {
          audit(caller, "delete", DocumentKind.PLACEMENT, request.getName(), revision);
          return DeleteResponse.newBuilder().setRevision(revision).build();
        },
        response);
  }

  @Override
  public void drainNode(DrainNodeRequest request,
      StreamObserver<dev.meshd.proto.v1.NodeDrain> response) {
    Caller caller = Caller.current();
    ResponseWarnings.Sink warnings = ResponseWarnings.forCurrentCall();
    NodeDrain drain = NodeDrain.of(request.getNodeId(), request.getReason(), clock.instant());
    answer(
        mapped(() -> store.putDrain(drain,
            expected(request.hasExpectedRevision(), request.getExpectedRevision()))),
        stored -> {
          AUDIT.info("audit: {} drained node \"{}\" at revision {} (reason: {})", caller.name(),
              stored.nodeId(), stored.revision(),
              stored.reason().isEmpty() ? "none" : stored.reason());
          for (String warning : drainWarnings.apply(stored)) {
            LOG.warn("drain of \"{}\": {}", stored.nodeId(), warning);
            warnings.add(warning);
          }
          return PolicyMapper.toProto(stored);
        },
        response);
  }

  @Override
  public void uncordonNode(UncordonNodeRequest request, StreamObserver<DeleteResponse> response) {
    Caller caller = Caller.current();
    answer(
        mapped(() -> store.deleteDrain(request.getNodeId(),
            expected(request.hasExpectedRevision(), request.getExpectedRevision()))),
        revision -> {
          AUDIT.info("audit: {} uncordoned node \"{}\" at revision {}", caller.name(),
              request.getNodeId(), revision);
          return DeleteResponse.newBuilder().setRevision(revision).build();
        },
        response);
  }

  @Override
  public void listDrains(ListDrainsRequest request, StreamObserver<ListDrainsResponse> response) {
    answer(reads(request.getSerializable()).listDrains(),
        listing -> ListDrainsResponse.newBuilder()
            .addAllDrains(listing.items().stream().map(PolicyMapper::toProto).toList())
            .setRevision(listing.revision())
            .build(),
        response);
  }

  @Override
  public void watch(WatchRequest request,
      StreamObserver<dev.meshd.proto.v1.StoreChange> response) {
    if (request.getFromRevision() < 0) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("from_revision: " + request.getFromRevision() + " (expected: >= 0)")
          .asRuntimeException());
      return;
    }
    ServerCallStreamObserver<dev.meshd.proto.v1.StoreChange> call =
        (ServerCallStreamObserver<dev.meshd.proto.v1.StoreChange>) response;
    Object lock = new Object();
    // The contract sends revisions greater than from_revision; the store starts at its argument.
    PolicyStore.Watch watch =
        store.watch(request.getFromRevision() + 1, new WatchListener() {
          @Override
          public void onChange(StoreChange change) {
            synchronized (lock) {
              if (!call.isCancelled()) {
                call.onNext(PolicyMapper.toProto(change));
              }
            }
          }

          @Override
          public void onError(PolicyStoreException error) {
            synchronized (lock) {
              if (!call.isCancelled()) {
                call.onError(StoreErrors.toStatus(error));
              }
            }
          }
        });
    call.setOnCancelHandler(watch::close);
  }

  @Override
  public void getClusterStatus(dev.meshd.proto.v1.GetClusterStatusRequest request,
      StreamObserver<dev.meshd.proto.v1.ClusterStatus> response) {
    answer(admin.status(), Function.identity(), response);
  }

  @Override
  public void addRaftPeer(dev.meshd.proto.v1.AddRaftPeerRequest request,
      StreamObserver<dev.meshd.proto.v1.ClusterStatus> response) {
    Caller caller = Caller.current();
    answer(mapped(() -> admin.addPeer(request.getId(), request.getAddress())),
        status -> {
          AUDIT.info("audit: {} added raft peer {}@{}", caller.name(), request.getId(),
              request.getAddress());
          return status;
        }, response);
  }

  @Override
  public void removeRaftPeer(dev.meshd.proto.v1.RemoveRaftPeerRequest request,
      StreamObserver<dev.meshd.proto.v1.ClusterStatus> response) {
    Caller caller = Caller.current();
    answer(mapped(() -> admin.removePeer(request.getId())),
        status -> {
          AUDIT.info("audit: {} removed raft peer {}", caller.name(), request.getId());
          return status;
        }, response);
  }

  @Override
  public void saveSnapshot(dev.meshd.proto.v1.SaveSnapshotRequest request,
      StreamObserver<dev.meshd.proto.v1.SnapshotChunk> response) {
    AUDIT.info("audit: {} saved a snapshot", Caller.current().name());
    admin.saveSnapshot(response);
  }

  private PolicyStore reads(boolean serializable) {
    return serializable ? localReads : store;
  }

  private static OptionalLong expected(boolean present, long value) {
    return present ? OptionalLong.of(value) : OptionalLong.empty();
  }

  private static void audit(Caller caller, String verb, DocumentKind kind, String name,
      long revision) {
    AUDIT.info("audit: {} {} {} \"{}\" at revision {}", caller.name(), verb, kind.label(), name,
        revision);
  }

  /** A mapping failure (a value the domain refuses) becomes a failed future, not a throw. */
  private static <T> CompletableFuture<T> mapped(
      java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static <T, R> void answer(CompletableFuture<T> result, Function<T, R> map,
      StreamObserver<R> response) {
    result.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            response.onError(StoreErrors.toStatus(failure));
            return;
          }
          R mapped;
          try {
            mapped = map.apply(value);
          } catch (RuntimeException e) {
            response.onError(StoreErrors.toStatus(e));
            return;
          }
          response.onNext(mapped);
          response.onCompleted();
        });
  }
}
