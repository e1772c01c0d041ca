package dev.meshd.cli.connect;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Objects;

/**
 * Adds {@code authorization: Bearer <token>} to every call, as the agent's tokens file expects
 * (DESIGN, "Agent"). An interceptor rather than {@link io.grpc.CallCredentials}: the latter is
 * meant to refuse insecure transports, and an agent without {@code security.tls} serves
 * plaintext (the token then crosses the network in the clear). Immutable and thread-safe.
 */
public final class BearerTokenInterceptor implements ClientInterceptor {

  /** The header the agent reads the token from. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String headerValue;

  public BearerTokenInterceptor(String token) {
    Objects.requireNonNull(token, "token");
    this.headerValue = "Bearer " + token;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<R> responseListener, Metadata headers) {
        headers.put(AUTHORIZATION, headerValue);
        super.start(responseListener, headers);
      }
    };
  }

  @Override
  public String toString() {
    // Never the token itself: this may end up in a --verbose log line.
    return "BearerTokenInterceptor[token=***]";
  }
}
