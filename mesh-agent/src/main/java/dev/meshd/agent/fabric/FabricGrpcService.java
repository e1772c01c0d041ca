package dev.meshd.agent.fabric;

import dev.meshd.agent.policy.PolicyMapper;
import dev.meshd.agent.store.StoreReader;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.ListLinksRequest;
import dev.meshd.proto.v1.ListLinksResponse;
import dev.meshd.proto.v1.NegotiateRequest;
import dev.meshd.proto.v1.NegotiateResponse;
import dev.meshd.proto.v1.PlacementLink;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code meshd.v1.FabricService}. Who may call what is decided before this runs ({@code
 * MethodPermissions}): Negotiate needs the agent credential, Probe an operator's WRITE, ListLinks
 * READ. Maps requests to {@link FabricPlane} calls and domain results to the wire types; status
 * codes are chosen here only. Thread-safe.
 */
public final class FabricGrpcService extends FabricServiceGrpc.FabricServiceImplBase {

  private final FabricPlane plane;
  private final StoreReader store;
  private final String nodeId;

  public FabricGrpcService(FabricPlane plane, StoreReader store, String nodeId) {
    this.plane = Objects.requireNonNull(plane, "plane");
    this.store = Objects.requireNonNull(store, "store");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
  }

  @Override
  public StreamObserver<NegotiateRequest> negotiate(
      StreamObserver<NegotiateResponse> responseObserver) {
    if (!plane.hasTransports()) {
      responseObserver.onError(Status.FAILED_PRECONDITION
          .withDescription(plane.noTransport(nodeId)).asRuntimeException());
      return ignoring();
    }
    if (plane.runningSessions() >= FabricPlane.MAX_ANSWERING) {
      responseObserver.onError(Status.RESOURCE_EXHAUSTED.withDescription(nodeId + " is running "
          + FabricPlane.MAX_ANSWERING + " negotiations already; try again later")
          .asRuntimeException());
      return ignoring();
    }
    // Sending on a cancelled call throws; the session sees that as the peer gone.
    ((ServerCallStreamObserver<NegotiateResponse>) responseObserver).setOnCancelHandler(() -> {});
    try {
      return plane.respond(responseObserver);
    } catch (IllegalStateException stopping) {
      responseObserver.onError(stopping(nodeId).asRuntimeException());
      return ignoring();
    }
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> responseObserver) {
    Optional<String> forced = request.hasTransport()
        ? Optional.of(request.getTransport().strip())
        : Optional.empty();
    dev.meshd.fabric.negotiate.LinkEnd peer;
    try {
      peer = plane.checkProbe(request.getPeerNode().strip(), forced);
    } catch (FabricRefusal refusal) {
      responseObserver.onError(status(refusal).asRuntimeException());
      return;
    }
    var call = (ServerCallStreamObserver<ProbeResponse>) responseObserver;
    // A caller that goes away (Ctrl-C) stops the probe rather than leave it moving bytes.
    AtomicReference<Runnable> cancel = new AtomicReference<>(() -> {});
    call.setOnCancelHandler(() -> cancel.get().run());
    try {
      cancel.set(probe(call, peer, forced));
    } catch (IllegalStateException stopping) {
      responseObserver.onError(stopping(nodeId).asRuntimeException());
    }
  }

  private Runnable probe(ServerCallStreamObserver<ProbeResponse> call,
      dev.meshd.fabric.negotiate.LinkEnd peer, Optional<String> forced) {
    StreamObserver<ProbeResponse> responseObserver = call;
    return plane.probe(peer, forced, Optional.ofNullable(Context.current().getDeadline()),
        report -> {
          if (call.isCancelled()) {
            return;
          }
          ProbeResponse.Builder response = ProbeResponse.newBuilder()
              .setUpstream(FabricMapper.toProto(report.upstream()))
              .setDownstream(FabricMapper.toProto(report.downstream()))
              .setLink(FabricMapper.toProto(report.link()));
          report.link().tries().forEach(t -> response.addTries(FabricMapper.toProto(t)));
          responseObserver.onNext(response.build());
          responseObserver.onCompleted();
        },
        failure -> {
          if (call.isCancelled()) {
            return; // the caller went away: nobody to tell
          }
          responseObserver.onError((failure instanceof InterruptedException
              ? stopping(nodeId)
              : Status.INTERNAL.withDescription("probe failed: " + failure))
              .asRuntimeException());
        });
  }

  private static Status stopping(String nodeId) {
    return Status.UNAVAILABLE.withDescription(nodeId + " is stopping");
  }

  private static StreamObserver<NegotiateRequest> ignoring() {
    return new StreamObserver<>() {
      @Override
      public void onNext(NegotiateRequest value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public void listLinks(ListLinksRequest request,
      StreamObserver<ListLinksResponse> responseObserver) {
    StoreSnapshot snapshot = store.snapshot();
    String only = request.getPlacement().strip();
    ListLinksResponse.Builder response = ListLinksResponse.newBuilder()
        .setRevision(snapshot.revision());
    // The snapshot's placements are sorted by name, and links by stage within each.
    for (Placement placement : snapshot.placements().values()) {
      if (!only.isEmpty() && !only.equals(placement.name())) {
        continue;
      }
      placement.links().stream()
          .sorted(java.util.Comparator.comparingInt(StageLink::fromStage))
          .forEach(link -> response.addLinks(toProto(placement, link)));
    }
    if (!only.isEmpty() && !snapshot.placements().containsKey(only)) {
      responseObserver.onError(Status.NOT_FOUND
          .withDescription("placement \"" + only + "\"").asRuntimeException());
      return;
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  private static PlacementLink toProto(Placement placement, StageLink link) {
    LinkStatus status = link.status();
    return PlacementLink.newBuilder()
        .setPlacement(placement.name())
        .setFromStage(link.fromStage())
        .setToStage(link.toStage())
        .setFromNode(nodeOf(placement, link.fromStage()))
        .setToNode(nodeOf(placement, link.toStage()))
        .setStatus(PolicyMapper.toProto(status))
        .build();
  }

  private static String nodeOf(Placement placement, int stageIndex) {
    return placement.stages().stream()
        .filter(s -> s.index() == stageIndex)
        .map(Stage::nodeId)
        .findFirst()
        .orElse("");
  }

  private static Status status(FabricRefusal refusal) {
    Status status = switch (refusal.kind()) {
      case INVALID -> Status.INVALID_ARGUMENT;
      case UNKNOWN_PEER -> Status.NOT_FOUND;
      case NO_TRANSPORT -> Status.FAILED_PRECONDITION;
      case PEER_UNAVAILABLE -> Status.UNAVAILABLE;
    };
    return status.withDescription(refusal.getMessage());
  }
}
