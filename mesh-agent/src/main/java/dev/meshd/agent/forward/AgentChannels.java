package dev.meshd.agent.forward;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer agent address, created on first use and kept (gRPC reconnects by
 * itself); all closed by {@link #close()}. Plaintext, as the agents' own API is. Thread-safe.
 */
public final class AgentChannels implements AutoCloseable {

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The channel to {@code hostPort}. */
  public ManagedChannel channel(String hostPort) {
    if (closed) {
      throw new IllegalStateException("agent channels closed");
    }
    return channels.computeIfAbsent(hostPort,
        address -> NettyChannelBuilder.forTarget(address).usePlaintext().build());
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
