package dev.meshd.cli.connect;

import dev.meshd.core.grpc.GrpcKeepAlive;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens the channel to an agent. Commands never build channels themselves, so tests substitute
 * in-process channels. Implementations must be thread-safe; the caller owns (and shuts down) each
 * channel returned.
 */
@FunctionalInterface
public interface ChannelFactory {

  /**
   * A list of a few thousand nodes is one response; gRPC's default 4 MiB limit would make
   * {@code list-nodes} fail on a large fleet.
   */
  int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  ManagedChannel open(ServerAddress address);

  /**
   * Plaintext HTTP/2 over grpc-netty-shaded, for an agent without {@code security.tls}: a bearer
   * token crosses the network in the clear.
   */
  static ChannelFactory plaintext() {
    return withCredentials(InsecureChannelCredentials.create());
  }

  /**
   * HTTP/2 over TLS with {@code credentials} (see {@link TlsSettings#credentials()}); the agent's
   * certificate must name the host given to {@code --server} in its SANs.
   */
  static ChannelFactory tls(ChannelCredentials credentials) {
    return withCredentials(credentials);
  }

  private static ChannelFactory withCredentials(ChannelCredentials credentials) {
    return withKeepAlive(credentials, GrpcKeepAlive.CLIENT_INTERVAL, GrpcKeepAlive.CLIENT_TIMEOUT);
  }

  /**
   * Channels that ping every {@code interval} while a call is open and drop a connection whose
   * ping is not answered within {@code timeout} ({@link GrpcKeepAlive}): a watch on an agent that
   * vanished without closing the connection fails with {@code UNAVAILABLE} instead of waiting
   * forever. Tests shorten the figures; gRPC raises an interval under 10 s to 10 s.
   */
  static ChannelFactory withKeepAlive(ChannelCredentials credentials, Duration interval,
      Duration timeout) {
    return address ->
        NettyChannelBuilder.forAddress(address.host(), address.port(), credentials)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .keepAliveTime(interval.toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .build();
  }
}
