package dev.meshd.agent.fabric;

import dev.meshd.fabric.negotiate.NegotiationMessage;
import dev.meshd.fabric.negotiate.PeerChannel;
import dev.meshd.fabric.negotiate.PeerGoneException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A {@link PeerChannel} over one {@code FabricService.Negotiate} stream, on either end: what the
 * peer sends arrives through {@link #inbound()} (gRPC's threads only enqueue), the session thread
 * takes it with {@link #receive}; {@link #send} writes to the stream. The end of the stream (the
 * peer completed, failed, cancelled, or the connection dropped) is queued after the messages that
 * came before it, so a session reads everything the peer said and then learns why it stopped.
 *
 * <p>Messages are a few hundred bytes and at most a dozen per negotiation, so gRPC's flow control
 * is not consulted. Thread-safe: {@link #close()} and {@link #abort} may be called from a thread
 * other than the session's (the agent stopping) and are idempotent.
 *
 * @param <I> the wire type received
 * @param <O> the wire type sent
 */
final class GrpcPeerChannel<I, O> implements PeerChannel {

  /** What ends the inbound queue: why, in words. */
  private record Ended(String why) {}

  private final String peer;
  private final Function<I, NegotiationMessage> fromWire;
  private final Function<NegotiationMessage, O> toWire;
  private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Object sendLock = new Object();
  private volatile StreamObserver<O> outbound;
  private volatile boolean peerEnded;

  private GrpcPeerChannel(String peer, Function<I, NegotiationMessage> fromWire,
      Function<NegotiationMessage, O> toWire) {
    this.peer = peer;
    this.fromWire = fromWire;
    this.toWire = toWire;
  }

  /** The upstream's end; {@link #connect} it to the call's request observer once started. */
  static GrpcPeerChannel<dev.meshd.proto.v1.NegotiateResponse, dev.meshd.proto.v1.NegotiateRequest>
      upstream(String peer) {
    return new GrpcPeerChannel<>(peer, FabricMapper::fromResponse, FabricMapper::toRequest);
  }

  /** The downstream's end, answering through {@code responses}. */
  static GrpcPeerChannel<dev.meshd.proto.v1.NegotiateRequest, dev.meshd.proto.v1.NegotiateResponse>
      downstream(String peer, StreamObserver<dev.meshd.proto.v1.NegotiateResponse> responses) {
    GrpcPeerChannel<dev.meshd.proto.v1.NegotiateRequest, dev.meshd.proto.v1.NegotiateResponse>
        channel = new GrpcPeerChannel<>(peer, FabricMapper::fromRequest, FabricMapper::toResponse);
    channel.connect(responses);
    return channel;
  }

  /** Where this end's messages go. */
  void connect(StreamObserver<O> stream) {
    this.outbound = Objects.requireNonNull(stream, "stream");
  }

  /** What gRPC calls with the peer's messages and the stream's end. */
  StreamObserver<I> inbound() {
    return new StreamObserver<>() {
      @Override
      public void onNext(I value) {
        inbound.add(value);
      }

      @Override
      public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        String words = status.getCode().name().toLowerCase(java.util.Locale.ROOT)
            .replace('_', ' ');
        inbound.add(new Ended(status.getDescription() == null ? words
            : words + ": " + status.getDescription()));
      }

      @Override
      public void onCompleted() {
        inbound.add(new Ended("it closed the stream"));
      }
    };
  }

  @Override
  public void send(NegotiationMessage message) throws PeerGoneException {
    O wire = toWire.apply(message);
    synchronized (sendLock) {
      if (ended.get() || peerEnded) {
        throw new PeerGoneException("the stream to " + peer + " has ended");
      }
      try {
        outbound.onNext(wire);
      } catch (RuntimeException e) {
        // gRPC refuses messages on a call that was cancelled or closed.
        throw new PeerGoneException(Status.fromThrowable(e).getCode().name()
            .toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public NegotiationMessage receive(Duration timeout)
      throws PeerGoneException, InterruptedException {
    if (ended.get()) {
      throw new PeerGoneException("the stream to " + peer + " has ended");
    }
    Object next = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (next == null) {
      throw new PeerGoneException("nothing from " + peer + " within " + words(timeout));
    }
    if (next instanceof Ended end) {
      peerEnded = true;
      inbound.add(end); // later reads see the same end
      throw new PeerGoneException(end.why());
    }
    try {
      return fromWire.apply((I) next);
    } catch (FabricMapper.MalformedMessageException e) {
      throw new PeerGoneException("sent a malformed message: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    StreamObserver<O> stream = outbound;
    if (stream == null) {
      return;
    }
    synchronized (sendLock) {
      try {
        stream.onCompleted();
      } catch (RuntimeException e) {
        // Already closed by the peer or cancelled: nothing left to end.
      }
    }
  }

  @Override
  public void abort(String reason) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    StreamObserver<O> stream = outbound;
    if (stream == null) {
      return;
    }
    synchronized (sendLock) {
      try {
        stream.onError(Status.ABORTED.withDescription(reason).asRuntimeException());
      } catch (RuntimeException e) {
        // Already closed.
      }
    }
  }

  private static String words(Duration timeout) {
    long ms = timeout.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
