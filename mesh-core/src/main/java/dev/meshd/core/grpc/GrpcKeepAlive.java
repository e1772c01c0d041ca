package dev.meshd.core.grpc;

import java.time.Duration;

/**
 * HTTP/2 keepalive of meshd's gRPC connections, one set of figures for both ends so that they
 * agree. A call that waits for the other side for a long time ({@code mesh-cli policy watch},
 * {@code list-nodes --watch}, an agent's watches of the store and of signals) would otherwise
 * wait forever on a connection whose peer vanished without closing it (a host powered off, a
 * partition, a NAT or firewall that dropped the flow): nothing is sent, so nothing fails.
 *
 * <ul>
 *   <li>A client (mesh-cli, or an agent dialing another) pings every {@link #CLIENT_INTERVAL}
 *       while a call is open, and drops the connection when a ping is not answered within
 *       {@link #CLIENT_TIMEOUT}: the call fails with {@code UNAVAILABLE} instead of hanging.
 *   <li>The agent's server accepts pings as often as {@link #SERVER_PERMITTED_INTERVAL}, below
 *       the clients' interval: gRPC servers answer pings that come more often than they permit
 *       (5 minutes by default) with {@code GOAWAY too_many_pings}, which would end every watch
 *       after three pings.
 *   <li>The server pings its clients every {@link #SERVER_INTERVAL}, so that a watch whose client
 *       vanished releases its resources after {@link #SERVER_TIMEOUT} more.
 * </ul>
 *
 * <p>Not for Ratis's own gRPC between voters, which has its own timeouts.
 */
public final class GrpcKeepAlive {

  /** How often a client pings while it has a call open; gRPC's minimum is 10 s. */
  public static final Duration CLIENT_INTERVAL = Duration.ofSeconds(30);

  /** How long a client waits for a ping's answer before it drops the connection. */
  public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

  /** The most frequent client pings the server accepts; below {@link #CLIENT_INTERVAL}. */
  public static final Duration SERVER_PERMITTED_INTERVAL = Duration.ofSeconds(10);

  /** How often the server pings a connection that has been quiet. */
  public static final Duration SERVER_INTERVAL = Duration.ofSeconds(60);

  /** How long the server waits for a ping's answer before it drops the connection. */
  public static final Duration SERVER_TIMEOUT = Duration.ofSeconds(20);

  private GrpcKeepAlive() {}
}
