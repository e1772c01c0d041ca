package dev.meshd.agent.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Warnings about an accepted call (for example a placement naming a node the fleet does not
 * know), sent to the caller as {@code meshd-warning} response headers, one per warning. A service
 * adds them to {@link #forCurrentCall()} before it sends its answer; {@code mesh-cli} prints
 * them on stderr.
 * Thread-safe.
 */
public final class ResponseWarnings implements ServerInterceptor {

  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("meshd-warning", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<List<String>> KEY = Context.key("meshd-warnings");

  /** Where warnings of one call go; obtained on the call's thread, used from any thread. */
  @FunctionalInterface
  public interface Sink {
    void add(String warning);
  }

  /**
   * The current call's warnings. Take it on the thread that runs the service method: the gRPC
   * Context does not follow a CompletableFuture's callbacks. Outside a call, warnings are dropped.
   */
  public static Sink forCurrentCall() {
    List<String> warnings = KEY.get();
    if (warnings == null) {
      return warning -> {};
    }
    // Header values must be printable ASCII: keep the text readable, drop the rest.
    return warning -> warnings.add(warning.replaceAll("[^\\x20-\\x7e]", "?"));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    List<String> warnings = new CopyOnWriteArrayList<>();
    ServerCall<Q, R> withWarnings = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        warnings.forEach(w -> responseHeaders.put(HEADER, w));
        super.sendHeaders(responseHeaders);
      }
    };
    return Contexts.interceptCall(Context.current().withValue(KEY, warnings), withWarnings,
        headers, next);
  }
}
