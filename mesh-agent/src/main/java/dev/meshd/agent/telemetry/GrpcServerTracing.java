package dev.meshd.agent.telemetry;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SERVER span per gRPC call, named {@code package.Service/Method} with the semantic
 * conventions' {@code rpc.*} attributes; a caller's W3C {@code traceparent} header makes it a
 * child of the caller's span. The span ends when the call closes (for streams: when the stream
 * ends).
 */
public final class GrpcServerTracing implements ServerInterceptor {

  private static final TextMapGetter<Metadata> METADATA =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
          return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
      };

  private final Tracer tracer;

  public GrpcServerTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String fullName = call.getMethodDescriptor().getFullMethodName();
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, METADATA);
    Span span =
        tracer.spanBuilder(fullName)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("rpc.system", "grpc")
            .setAttribute("rpc.service", serviceOf(fullName))
            .setAttribute("rpc.method", methodOf(fullName))
            .startSpan();
    AtomicBoolean ended = new AtomicBoolean();
    ServerCall<Q, R> traced =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (ended.compareAndSet(false, true)) {
              span.setAttribute("rpc.grpc.status_code", status.getCode().value());
              if (!status.isOk()) {
                span.setStatus(StatusCode.ERROR, status.getCode().name());
              }
              span.end();
            }
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try (var scope = parent.with(span).makeCurrent()) {
      listener = next.startCall(traced, headers);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (ended.compareAndSet(false, true)) {
          span.setAttribute("rpc.grpc.status_code", Status.Code.CANCELLED.value());
          span.end();
        }
        super.onCancel();
      }
    };
  }

  private static String serviceOf(String fullName) {
    int slash = fullName.lastIndexOf('/');
    return slash < 0 ? fullName : fullName.substring(0, slash);
  }

  private static String methodOf(String fullName) {
    int slash = fullName.lastIndexOf('/');
    return slash < 0 ? "" : fullName.substring(slash + 1);
  }
}
