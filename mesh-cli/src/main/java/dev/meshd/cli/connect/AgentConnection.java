package dev.meshd.cli.connect;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One command's connection to one agent: a channel with the bearer token attached, and stubs
 * that carry the per-call deadline. A command opens one, uses it from its own thread, and closes
 * it; {@link #close()} may be called more than once.
 */
public final class AgentConnection implements AutoCloseable {

  /** How long close waits for the transport to go away; a CLI must not hang on exit. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);

  private final Duration timeout;
  private final ManagedChannel channel;
  private final Channel calls;

  private AgentConnection(Duration timeout, ManagedChannel channel, Channel calls) {
    this.timeout = timeout;
    this.channel = channel;
    this.calls = calls;
  }

  /**
   * Opens a channel to {@code server}. Nothing is sent until the first call, so this does not
   * fail on an unreachable agent; the first call does.
   *
   * @param token when present, sent as {@code authorization: Bearer <token>} on every call
   * @param timeout the deadline of each unary call
   */
  public static AgentConnection open(
      ChannelFactory channels, ServerAddress server, Optional<String> token, Duration timeout) {
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(timeout, "timeout");
    ManagedChannel channel = Objects.requireNonNull(channels.open(server), "channel");
    Channel calls =
        token
            .<Channel>map(t -> ClientInterceptors.intercept(channel, new BearerTokenInterceptor(t)))
            .orElse(channel);
    return new AgentConnection(timeout, channel, calls);
  }

  /**
   * A stub for unary calls whose deadline starts now; take a new one per call, since a stub's
   * deadline is fixed when it is created. Example: {@code unary(MeshServiceGrpc::newBlockingStub)}.
   */
  public <S extends AbstractStub<S>> S unary(Function<Channel, S> newStub) {
    return newStub.apply(calls).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Like {@link #unary}, with a deadline of at least {@code atLeast}: for a call known to take
   * long on the agent (a fabric probe runs payload tries with deadlines of their own).
   */
  public <S extends AbstractStub<S>> S unaryWithin(Function<Channel, S> newStub,
      Duration atLeast) {
    Duration deadline = timeout.compareTo(atLeast) >= 0 ? timeout : atLeast;
    return newStub.apply(calls).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The deadline of each unary call ({@code --timeout}). */
  public Duration timeout() {
    return timeout;
  }

  /**
   * A stub for watch streams, without a deadline: a watch runs until the server ends it or the
   * user interrupts, and a per-call deadline would cut it off after {@code --timeout}.
   */
  public <S extends AbstractStub<S>> S streaming(Function<Channel, S> newStub) {
    return newStub.apply(calls);
  }

  /** Cancels anything in flight and waits briefly for the transport to close. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
