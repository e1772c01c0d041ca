package dev.meshd.cli.testing;

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
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A MeshService that answers from what the test put in it: nodes, stats, and a scripted watch
 * stream (the events, then the status it ends with). It can also stay silent, to make calls run
 * into their deadline. Thread-safe: set up by the test thread, read by gRPC's.
 */
public final class FakeMeshService extends MeshServiceGrpc.MeshServiceImplBase {

  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private final List<NodeEvent> watchEvents = new CopyOnWriteArrayList<>();
  private final List<WatchNodesRequest> watchRequests = new CopyOnWriteArrayList<>();
  private volatile Stats stats = Stats.getDefaultInstance();
  private volatile Status watchEnd = Status.OK;
  private volatile boolean silent;

  public FakeMeshService nodes(List<Node> value) {
    nodes.clear();
    nodes.addAll(value);
    return this;
  }

  public FakeMeshService stats(Stats value) {
    stats = value;
    return this;
  }

  /** The watch stream sends {@code events}, then ends with {@code end} (OK completes it). */
  public FakeMeshService watch(List<NodeEvent> events, Status end) {
    watchEvents.clear();
    watchEvents.addAll(events);
    watchEnd = end;
    return this;
  }

  /** Unary calls get no answer at all, so the client's deadline expires. */
  public FakeMeshService silent() {
    silent = true;
    return this;
  }

  public List<WatchNodesRequest> watchRequests() {
    return List.copyOf(watchRequests);
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
    if (!silent) {
      response.onNext(ListNodesResponse.newBuilder().addAllNodes(nodes).build());
      response.onCompleted();
    }
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<Node> response) {
    if (silent) {
      return;
    }
    nodes.stream()
        .filter(node -> node.getId().equals(request.getId()))
        .findFirst()
        .ifPresentOrElse(
            node -> {
              response.onNext(node);
              response.onCompleted();
            },
            // The agent's wording (mesh-agent MeshGrpcService), so the test sees a real line.
            () -> response.onError(
                Status.NOT_FOUND.withDescription("node \"" + request.getId() + "\"")
                    .asRuntimeException()));
  }

  @Override
  public void watchNodes(WatchNodesRequest request, StreamObserver<NodeEvent> response) {
    watchRequests.add(request);
    if (!request.getSkipInitial()) {
      // As the agent does: the current nodes as ADDED, then SYNCED, then the changes.
      nodes.forEach(node -> response.onNext(
          NodeEvent.newBuilder().setType(NodeEventType.NODE_EVENT_TYPE_ADDED).setNode(node)
              .build()));
      response.onNext(NodeEvent.newBuilder().setType(NodeEventType.NODE_EVENT_TYPE_SYNCED)
          .build());
    }
    watchEvents.forEach(response::onNext);
    if (watchEnd.isOk()) {
      response.onCompleted();
    } else {
      response.onError(watchEnd.asRuntimeException());
    }
  }

  @Override
  public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
    if (!silent) {
      response.onNext(stats);
      response.onCompleted();
    }
  }
}
