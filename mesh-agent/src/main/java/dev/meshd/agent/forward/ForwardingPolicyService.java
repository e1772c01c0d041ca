package dev.meshd.agent.forward;

import dev.meshd.agent.api.ResponseWarnings;
import dev.meshd.agent.auth.BearerAuthInterceptor;
import dev.meshd.agent.auth.Caller;
import dev.meshd.proto.v1.AddRaftPeerRequest;
import dev.meshd.proto.v1.ClusterStatus;
import dev.meshd.proto.v1.DeletePlacementRequest;
import dev.meshd.proto.v1.DeletePolicyRequest;
import dev.meshd.proto.v1.DeleteResponse;
import dev.meshd.proto.v1.DrainNodeRequest;
import dev.meshd.proto.v1.ListDrainsRequest;
import dev.meshd.proto.v1.ListDrainsResponse;
import dev.meshd.proto.v1.NodeDrain;
import dev.meshd.proto.v1.UncordonNodeRequest;
import dev.meshd.proto.v1.GetClusterStatusRequest;
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
import dev.meshd.proto.v1.RemoveRaftPeerRequest;
import dev.meshd.proto.v1.SaveSnapshotRequest;
import dev.meshd.proto.v1.SnapshotChunk;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * {@code meshd.v1.PolicyService} on an agent without role {@code control}: every document call and
 * {@code GetClusterStatus} is passed on unchanged to a control agent (which sends writes on to the
 * Raft leader), and its answer or status comes back unchanged. Calls carry the agent credential
 * and name the original caller; an operator's token never leaves this agent. Membership changes
 * and snapshots are refused with FAILED_PRECONDITION: they need an admin's own call to a control
 * agent. Thread-safe.
 */
public final class ForwardingPolicyService extends PolicyServiceGrpc.PolicyServiceImplBase {

  /** The most a forwarded unary call may take when its caller set no deadline. */
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String selfId;
  private final ControlTargets targets;
  private final AgentChannels channels;
  private final Optional<String> agentToken;

  /**
   * @param agentToken the credential derived from the cluster key; empty when the mesh runs
   *     without one (then the control agents require no token either, or refuse the call)
   */
  public ForwardingPolicyService(String selfId, ControlTargets targets, AgentChannels channels,
      Optional<String> agentToken) {
    this.selfId = selfId;
    this.targets = targets;
    this.channels = channels;
    this.agentToken = agentToken;
  }

  @Override
  public void putPolicy(PutPolicyRequest request, StreamObserver<Policy> response) {
    unary(response, (stub, out) -> stub.putPolicy(request, out));
  }

  @Override
  public void getPolicy(GetPolicyRequest request, StreamObserver<Policy> response) {
    unary(response, (stub, out) -> stub.getPolicy(request, out));
  }

  @Override
  public void listPolicies(ListPoliciesRequest request,
      StreamObserver<ListPoliciesResponse> response) {
    unary(response, (stub, out) -> stub.listPolicies(request, out));
  }

  @Override
  public void deletePolicy(DeletePolicyRequest request, StreamObserver<DeleteResponse> response) {
    unary(response, (stub, out) -> stub.deletePolicy(request, out));
  }

  @Override
  public void putPlacement(PutPlacementRequest request, StreamObserver<Placement> response) {
    unary(response, (stub, out) -> stub.putPlacement(request, out));
  }

  @Override
  public void getPlacement(GetPlacementRequest request, StreamObserver<Placement> response) {
    unary(response, (stub, out) -> stub.getPlacement(request, out));
  }

  @Override
  public void listPlacements(ListPlacementsRequest request,
      StreamObserver<ListPlacementsResponse> response) {
    unary(response, (stub, out) -> stub.listPlacements(request, out));
  }

  @Override
  public void deletePlacement(DeletePlacementRequest request,
      StreamObserver<DeleteResponse> response) {
    unary(response, (stub, out) -> stub.deletePlacement(request, out));
  }

  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<NodeDrain> response) {
    unary(response, (stub, out) -> stub.drainNode(request, out));
  }

  @Override
  public void uncordonNode(UncordonNodeRequest request, StreamObserver<DeleteResponse> response) {
    unary(response, (stub, out) -> stub.uncordonNode(request, out));
  }

  @Override
  public void listDrains(ListDrainsRequest request, StreamObserver<ListDrainsResponse> response) {
    unary(response, (stub, out) -> stub.listDrains(request, out));
  }

  @Override
  public void getClusterStatus(GetClusterStatusRequest request,
      StreamObserver<ClusterStatus> response) {
    unary(response, (stub, out) -> stub.getClusterStatus(request, out));
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<StoreChange> response) {
    Optional<ControlTargets.Target> target = targets.pick();
    if (target.isEmpty()) {
      response.onError(noControlNode());
      return;
    }
    ServerCallStreamObserver<StoreChange> server =
        (ServerCallStreamObserver<StoreChange>) response;
    stub(target.get()).watch(request, new ClientResponseObserver<WatchRequest, StoreChange>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> upstream) {
        server.setOnCancelHandler(() -> upstream.cancel("watcher went away", null));
      }

      @Override
      public void onNext(StoreChange change) {
        if (!server.isCancelled()) {
          server.onNext(change);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (!server.isCancelled()) {
          server.onError(relayed(target.get(), t));
        }
      }

      @Override
      public void onCompleted() {
        if (!server.isCancelled()) {
          server.onCompleted();
        }
      }
    });
  }

  @Override
  public void addRaftPeer(AddRaftPeerRequest request, StreamObserver<ClusterStatus> response) {
    response.onError(adminOnControlNode("raft add-peer"));
  }

  @Override
  public void removeRaftPeer(RemoveRaftPeerRequest request,
      StreamObserver<ClusterStatus> response) {
    response.onError(adminOnControlNode("raft remove-peer"));
  }

  @Override
  public void saveSnapshot(SaveSnapshotRequest request, StreamObserver<SnapshotChunk> response) {
    response.onError(adminOnControlNode("raft snapshot save"));
  }

  private <R> void unary(StreamObserver<R> response,
      BiConsumer<PolicyServiceGrpc.PolicyServiceStub, StreamObserver<R>> call) {
    Optional<ControlTargets.Target> target = targets.pick();
    if (target.isEmpty()) {
      response.onError(noControlNode());
      return;
    }
    // The caller's deadline, if any, travels with the call's Context; this bounds the rest.
    AtomicReference<Metadata> headers = new AtomicReference<>();
    ResponseWarnings.Sink relayedWarnings = ResponseWarnings.forCurrentCall();
    PolicyServiceGrpc.PolicyServiceStub stub = stub(target.get())
        .withDeadlineAfter(DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers,
            new AtomicReference<>()));
    call.accept(stub, new StreamObserver<>() {
      @Override
      public void onNext(R value) {
        // The control agent's warnings go on to the caller.
        Metadata received = headers.get();
        Iterable<String> warnings = received == null ? null : received.getAll(
            ResponseWarnings.HEADER);
        if (warnings != null) { // getAll answers null, not empty, when there is none
          warnings.forEach(relayedWarnings::add);
        }
        response.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        response.onError(relayed(target.get(), t));
      }

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    });
  }

  private PolicyServiceGrpc.PolicyServiceStub stub(ControlTargets.Target target) {
    Metadata headers = new Metadata();
    agentToken.ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
    headers.put(BearerAuthInterceptor.ON_BEHALF_OF, Caller.current().name() + "@" + selfId);
    return PolicyServiceGrpc.newStub(channels.channel(target.grpcAddress()))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** The control agent's status passes through; a failure to reach it says which it was. */
  private Throwable relayed(ControlTargets.Target target, Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return status.asRuntimeException();
    }
    targets.markUnavailable(target);
    return Status.UNAVAILABLE.withDescription("forwarded by " + selfId + " to control node "
        + target.nodeId() + " at " + target.grpcAddress() + ": " + status.getDescription())
        .withCause(status.getCause())
        .asRuntimeException();
  }

  private Throwable noControlNode() {
    return Status.UNAVAILABLE.withDescription(selfId + " is not a control node and sees no "
        + "ALIVE control node to forward to (check `mesh-cli list-nodes`: ROLES)")
        .asRuntimeException();
  }

  private Throwable adminOnControlNode(String verb) {
    String control = targets.candidates().stream()
        .map(t -> t.nodeId() + " at " + t.grpcAddress())
        .collect(Collectors.joining(", "));
    return Status.FAILED_PRECONDITION.withDescription(selfId + " is not a control node; run `"
        + verb + "` against one (--server" + (control.isEmpty() ? "" : "; known: " + control)
        + ")").asRuntimeException();
  }
}
