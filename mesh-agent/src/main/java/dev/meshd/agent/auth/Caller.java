package dev.meshd.agent.auth;

import io.grpc.Context;
import java.util.Objects;

/**
 * The authenticated caller of a gRPC call: the token's name from the tokens file (written to
 * audit lines) and its role. Available to services through {@link #current()}.
 */
public record Caller(String name, Role role) {

  /** Set by {@link BearerAuthInterceptor} for the duration of each call. */
  static final Context.Key<Caller> KEY = Context.key("meshd-caller");

  /** Used when no tokens file is configured: every call is allowed, as in DESIGN. */
  public static final Caller UNAUTHENTICATED = new Caller("anonymous", Role.ADMIN);

  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }

  /** The caller of the current gRPC call ({@link #UNAUTHENTICATED} outside of one). */
  public static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? UNAUTHENTICATED : caller;
  }
}
