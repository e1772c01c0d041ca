package dev.meshd.cli.testing;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the request headers of every call the fake agent receives. Thread-safe. */
public final class HeaderRecorder implements ServerInterceptor {

  private final List<Metadata> headers = new CopyOnWriteArrayList<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata requestHeaders, ServerCallHandler<Q, R> next) {
    headers.add(requestHeaders);
    return next.startCall(call, requestHeaders);
  }

  /** The headers of each call so far, oldest first. */
  public List<Metadata> headers() {
    return List.copyOf(headers);
  }
}
