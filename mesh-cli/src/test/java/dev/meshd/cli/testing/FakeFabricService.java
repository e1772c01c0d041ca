package dev.meshd.cli.testing;

import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.ListLinksRequest;
import dev.meshd.proto.v1.ListLinksResponse;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A FabricService that answers what the test set, or fails with the status it set. */
public final class FakeFabricService extends FabricServiceGrpc.FabricServiceImplBase {

  private final List<Object> requests = new CopyOnWriteArrayList<>();
  private volatile ListLinksResponse links = ListLinksResponse.getDefaultInstance();
  private volatile ProbeResponse probe = ProbeResponse.getDefaultInstance();
  private volatile Status failure;

  public FakeFabricService links(ListLinksResponse value) {
    links = value;
    return this;
  }

  public FakeFabricService probe(ProbeResponse value) {
    probe = value;
    return this;
  }

  public FakeFabricService fail(Status status) {
    failure = status;
    return this;
  }

  /** Requests of {@code type} received, in order. */
  public <T> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void listLinks(ListLinksRequest request, StreamObserver<ListLinksResponse> observer) {
    answer(request, links, observer);
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> observer) {
    answer(request, probe, observer);
  }

  private <T> void answer(Object request, T response, StreamObserver<T> observer) {
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
