package dev.meshd.agent.signal;

import dev.meshd.proto.v1.SignalBatch;
import dev.meshd.proto.v1.SignalServiceGrpc;
import dev.meshd.proto.v1.WatchSignalsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshd.v1.SignalService}: streams this agent's load signals to a router. Who may call is
 * decided before this runs ({@code MethodPermissions}: the agent credential only). Flow control is
 * gRPC's: while the call is not ready nothing is queued for it. Thread-safe.
 */
public final class SignalGrpcService extends SignalServiceGrpc.SignalServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(SignalGrpcService.class);

  /** Below this a heartbeat costs more than it tells. */
  static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

  /** Above this a router could not tell a silent sender from a dead one for too long. */
  static final Duration MAX_HEARTBEAT = Duration.ofSeconds(10);

  private final SignalPublisher publisher;
  private final Duration defaultHeartbeat;

  public SignalGrpcService(SignalPublisher publisher, Duration defaultHeartbeat) {
    this.publisher = publisher;
    this.defaultHeartbeat = defaultHeartbeat;
  }

  @Override
  public void watchSignals(WatchSignalsRequest request, StreamObserver<SignalBatch> response) {
    ServerCallStreamObserver<SignalBatch> call = (ServerCallStreamObserver<SignalBatch>) response;
    Duration heartbeat = heartbeat(request.getHeartbeatMillis(), defaultHeartbeat);
    OutboundStream stream = publisher.subscribe(new OutboundStream.Sink() {
      @Override
      public boolean isReady() {
        return call.isReady();
      }

      @Override
      public void send(SignalBatch batch) {
        call.onNext(batch);
      }

      @Override
      public void complete() {
        call.onCompleted();
      }
    }, heartbeat);
    call.setOnCancelHandler(() -> {
      publisher.unsubscribe(stream);
      LOG.debug("signal stream to {} ended", subscriber(request));
    });
    call.setOnReadyHandler(stream::onReady);
    LOG.debug("signal stream to {} opened, heartbeat {} ms", subscriber(request),
        heartbeat.toMillis());
    if (call.isCancelled()) {
      publisher.unsubscribe(stream); // gone before the handler was set: it will not be called
      return;
    }
    stream.start();
  }

  /** The heartbeat a subscriber asked for, within {@link #MIN_HEARTBEAT}..{@link #MAX_HEARTBEAT}. */
  static Duration heartbeat(long requestedMillis, Duration fallback) {
    Duration asked = requestedMillis <= 0 ? fallback : Duration.ofMillis(requestedMillis);
    return asked.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT
        : asked.compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT : asked;
  }

  private static String subscriber(WatchSignalsRequest request) {
    return request.getSubscriber().isBlank() ? "a router" : request.getSubscriber();
  }
}
