package dev.meshd.agent.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@code authorization: Bearer <token>} on every call against the {@link TokenRegistry}
 * and the method's {@link MethodPermissions}: no or unknown token gives UNAUTHENTICATED, a role
 * too weak gives PERMISSION_DENIED. The caller is put in the call's {@link Context} for audit
 * lines. Without a tokens file every call is allowed as {@link Caller#UNAUTHENTICATED}.
 */
public final class BearerAuthInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthInterceptor.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  /**
   * Set by an agent that forwards a call for someone else: who that was, for the audit line.
   * Honoured only on calls authenticated with the agent credential.
   */
  public static final Metadata.Key<String> ON_BEHALF_OF =
      Metadata.Key.of("meshd-on-behalf-of", Metadata.ASCII_STRING_MARSHALLER);

  private final Optional<TokenRegistry> registry;

  public BearerAuthInterceptor(Optional<TokenRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Optional<Permission> required = MethodPermissions.required(method);
    if (registry.isEmpty() || required.isEmpty()) {
      return Contexts.interceptCall(
          Context.current().withValue(Caller.KEY, Caller.UNAUTHENTICATED), call, headers, next);
    }
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "no bearer token (send 'authorization: Bearer <token>'; mesh-cli: --token or "
              + "MESHD_TOKEN)"));
    }
    Optional<Caller> caller = registry.get().authenticate(header.substring(BEARER.length()));
    if (caller.isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("unknown token"));
    }
    if (!caller.get().role().allows(required.get())) {
      LOG.info("denied {} to {} (role {})", method, caller.get().name(),
          caller.get().role().configName());
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "role " + caller.get().role().configName() + " may not call " + method + " (needs "
              + required.get().name().toLowerCase(java.util.Locale.ROOT) + ")"));
    }
    Caller effective = caller.get();
    String onBehalfOf = headers.get(ON_BEHALF_OF);
    if (effective.role() == Role.AGENT && onBehalfOf != null && !onBehalfOf.isBlank()) {
      // An agent forwarding an operator's call: the audit line names the operator and the agent.
      effective = new Caller(onBehalfOf.strip() + " (forwarded by an agent)", Role.AGENT);
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, effective), call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
