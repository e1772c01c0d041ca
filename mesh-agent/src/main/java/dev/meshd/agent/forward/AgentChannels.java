package dev.meshd.agent.forward;

import dev.meshd.core.grpc.GrpcKeepAlive;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer agent address, created on first use and kept (gRPC reconnects by
 * itself); all closed by {@link #close()}. Every channel an agent opens to another agent (writes
 * forwarded to a control agent, store watches, signal streams, fabric negotiation) comes from
 * here, with the credentials this agent serves with ({@link
 * dev.meshd.agent.auth.GrpcTls#client}): TLS when {@code security.tls} is set, else plaintext.
 * Thread-safe.
 */
public final class AgentChannels implements AutoCloseable {

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final ChannelCredentials credentials;
  private volatile boolean closed;

  /** Plaintext channels. */
  public AgentChannels() {
    this(InsecureChannelCredentials.create());
  }

  /** Channels with {@code credentials} (TLS or plaintext). */
  public AgentChannels(ChannelCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** The channel to {@code hostPort}. */
  public ManagedChannel channel(String hostPort) {
    if (closed) {
      throw new IllegalStateException("agent channels closed");
    }
    return channels.computeIfAbsent(hostPort,
        address -> NettyChannelBuilder.forTarget(address, credentials)
            .keepAliveTime(GrpcKeepAlive.CLIENT_INTERVAL.toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(GrpcKeepAlive.CLIENT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
            .build());
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }
}
