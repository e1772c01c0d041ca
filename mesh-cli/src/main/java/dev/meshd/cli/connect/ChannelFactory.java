package dev.meshd.cli.connect;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * Opens the channel to an agent. Commands never build channels themselves, so tests substitute
 * in-process channels and a later TLS issue changes one place. Implementations must be
 * thread-safe; the caller owns (and shuts down) each channel returned.
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
   * Plaintext HTTP/2 over grpc-netty-shaded. The agent serves plaintext until mTLS arrives
   * (DESIGN, "The picture"); a bearer token therefore crosses the network in the clear.
   */
  static ChannelFactory plaintext() {
    return address ->
        NettyChannelBuilder.forAddress(address.host(), address.port())
            .usePlaintext()
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .build();
  }
}
