package dev.meshd.cli.testing;

import dev.meshd.proto.v1.RouteRequest;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouterServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A RouterService that answers what the test set, or fails with the status it set. */
public final class FakeRouterService extends RouterServiceGrpc.RouterServiceImplBase {

  private final List<RouteRequest> requests = new CopyOnWriteArrayList<>();
  private volatile RouteResponse response = RouteResponse.getDefaultInstance();
  private volatile Status failure;

  public FakeRouterService answer(RouteResponse value) {
    response = value;
    failure = null;
    return this;
  }

  public FakeRouterService fail(Status status) {
    failure = status;
    return this;
  }

  public List<RouteRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void route(RouteRequest request, StreamObserver<RouteResponse> observer) {
    requests.add(request);
    Status f = failure;
    if (f != null) {
      observer.onError(f.asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
