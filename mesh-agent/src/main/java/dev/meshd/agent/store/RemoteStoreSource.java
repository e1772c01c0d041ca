package dev.meshd.agent.store;

import dev.meshd.agent.auth.BearerAuthInterceptor;
import dev.meshd.agent.forward.AgentChannels;
import dev.meshd.agent.forward.ControlTargets;
import dev.meshd.agent.policy.PolicyMapper;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import dev.meshd.proto.v1.ListDrainsRequest;
import dev.meshd.proto.v1.ListDrainsResponse;
import dev.meshd.proto.v1.ListPlacementsResponse;
import dev.meshd.proto.v1.ListPoliciesResponse;
import dev.meshd.proto.v1.ListPlacementsRequest;
import dev.meshd.proto.v1.PutPlacementRequest;
import dev.meshd.proto.v1.ListPoliciesRequest;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.WatchRequest;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The policy store as a control agent serves it over {@code meshd.v1.PolicyService}, for agents
 * without a replica: serializable listings (the control agent's replica, the one its watch
 * follows) and the {@code Watch} stream, authenticated with the agent credential. Each call goes
 * to the control agent the {@code upstream} picks at that moment; one that answers UNAVAILABLE is
 * reported so that the next pick prefers another. Failures become the {@code
 * PolicyStoreException}s of the contract: OUT_OF_RANGE a {@link RevisionCompactedException},
 * anything else (and the end of a watch stream) a {@link StoreUnavailableException}.
 * Thread-safe.
 */
public final class RemoteStoreSource implements StoreSource {

  /** Listings are small; a control agent that takes longer is as good as gone. */
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** One control agent to call: a name for messages, its channel, and what to do if it fails. */
  public record Endpoint(String name, Channel channel, Runnable onUnavailable) {}

  private final Supplier<Optional<Endpoint>> upstream;
  private final Optional<String> agentToken;
  private final String selfId;
  private final Duration callTimeout;

  public RemoteStoreSource(Supplier<Optional<Endpoint>> upstream, Optional<String> agentToken,
      String selfId, Duration callTimeout) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.agentToken = Objects.requireNonNull(agentToken, "agentToken");
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** Reads from the control agents {@code targets} picks, over {@code channels}. */
  public static RemoteStoreSource forControlTargets(ControlTargets targets,
      AgentChannels channels, Optional<String> agentToken, String selfId) {
    return new RemoteStoreSource(() -> targets.pick().map(t -> new Endpoint(
        t.nodeId() + " at " + t.grpcAddress(), channels.channel(t.grpcAddress()),
        () -> targets.markUnavailable(t))), agentToken, selfId, DEFAULT_CALL_TIMEOUT);
  }

  @Override
  public CompletableFuture<Listing<Policy>> listPolicies() {
    return this.<ListPoliciesResponse, Listing<Policy>>unary((stub, out) -> stub.listPolicies(
            ListPoliciesRequest.newBuilder().setSerializable(true).build(), out),
        r -> new Listing<>(r.getPoliciesList().stream().map(PolicyMapper::toDomain).toList(),
            r.getRevision()));
  }

  @Override
  public CompletableFuture<Listing<Placement>> listPlacements() {
    return this.<ListPlacementsResponse, Listing<Placement>>unary(
        (stub, out) -> stub.listPlacements(
            ListPlacementsRequest.newBuilder().setSerializable(true).build(), out),
        r -> new Listing<>(r.getPlacementsList().stream().map(PolicyMapper::toDomain).toList(),
            r.getRevision()));
  }

  @Override
  public CompletableFuture<Listing<NodeDrain>> listDrains() {
    return this.<ListDrainsResponse, Listing<NodeDrain>>unary((stub, out) -> stub.listDrains(
            ListDrainsRequest.newBuilder().setSerializable(true).build(), out),
        r -> new Listing<>(r.getDrainsList().stream().map(PolicyMapper::toDomain).toList(),
            r.getRevision()));
  }

  /**
   * Writes a placement through the control agent, compare-and-set when {@code expectedRevision}
   * is given: an agent's own write (link statuses), never an operator's. A conflict comes back
   * as a {@link dev.meshd.core.policy.RevisionConflictException}.
   */
  public CompletableFuture<Placement> putPlacement(Placement placement,
      java.util.OptionalLong expectedRevision) {
    PutPlacementRequest.Builder request = PutPlacementRequest.newBuilder()
        .setPlacement(PolicyMapper.toProto(placement));
    expectedRevision.ifPresent(request::setExpectedRevision);
    CompletableFuture<Placement> written = this.<dev.meshd.proto.v1.Placement, Placement>unary(
        (stub, out) -> stub.putPlacement(request.build(), out), PolicyMapper::toDomain);
    return written.exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException
          ? failure.getCause() : failure;
      if (cause instanceof StoreUnavailableException unavailable
          && Status.fromThrowable(unavailable.getCause()).getCode()
              == Status.Code.FAILED_PRECONDITION) {
        return CompletableFuture.failedFuture(new dev.meshd.core.policy.RevisionConflictException(
            dev.meshd.core.policy.DocumentKind.PLACEMENT, placement.name(),
            expectedRevision.orElse(-1), -1));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  @Override
  public PolicyStore.Watch watch(long fromRevision, WatchListener listener) {
    Optional<Endpoint> endpoint = upstream.get();
    AtomicBoolean ended = new AtomicBoolean();
    if (endpoint.isEmpty()) {
      listener.onError(noControlAgent());
      return () -> {};
    }
    AtomicReference<ClientCallStreamObserver<WatchRequest>> call = new AtomicReference<>();
    // The wire's from_revision is exclusive; the store's is inclusive.
    stub(endpoint.get()).watch(WatchRequest.newBuilder().setFromRevision(fromRevision - 1).build(),
        new ClientResponseObserver<WatchRequest, dev.meshd.proto.v1.StoreChange>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<WatchRequest> upstreamCall) {
            call.set(upstreamCall);
          }

          @Override
          public void onNext(dev.meshd.proto.v1.StoreChange change) {
            if (ended.get()) {
              return;
            }
            StoreChange mapped;
            try {
              mapped = PolicyMapper.toDomain(change);
            } catch (RuntimeException e) {
              end(new StoreUnavailableException("cannot read a change from "
                  + endpoint.get().name() + ": " + e.getMessage(), e));
              call.get().cancel("unreadable change", null);
              return;
            }
            listener.onChange(mapped);
          }

          @Override
          public void onError(Throwable t) {
            end(toStoreException(endpoint.get(), t, fromRevision));
          }

          @Override
          public void onCompleted() {
            end(new StoreUnavailableException(
                "the watch stream from " + endpoint.get().name() + " ended", null));
          }

          private void end(PolicyStoreException error) {
            if (ended.compareAndSet(false, true)) {
              listener.onError(error);
            }
          }
        });
    return () -> {
      if (ended.compareAndSet(false, true) && call.get() != null) {
        call.get().cancel("watch closed", null);
      }
    };
  }

  @Override
  public String toString() {
    return "control agent (" + upstream.get().map(Endpoint::name).orElse("none known") + ")";
  }

  private <R, T> CompletableFuture<T> unary(
      BiConsumer<PolicyServiceGrpc.PolicyServiceStub, StreamObserver<R>> call,
      Function<R, T> map) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Optional<Endpoint> endpoint = upstream.get();
    if (endpoint.isEmpty()) {
      result.completeExceptionally(noControlAgent());
      return result;
    }
    call.accept(stub(endpoint.get())
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS),
        new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            try {
              result.complete(map.apply(value));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(toStoreException(endpoint.get(), t, 0));
          }

          @Override
          public void onCompleted() {
            result.completeExceptionally(new StoreUnavailableException(
                "no answer from " + endpoint.get().name(), null));
          }
        });
    return result;
  }

  private PolicyServiceGrpc.PolicyServiceStub stub(Endpoint endpoint) {
    Metadata headers = new Metadata();
    agentToken.ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
    headers.put(BearerAuthInterceptor.ON_BEHALF_OF, "store-view@" + selfId);
    return PolicyServiceGrpc.newStub(endpoint.channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static PolicyStoreException toStoreException(Endpoint endpoint, Throwable t,
      long fromRevision) {
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.OUT_OF_RANGE) {
      // The oldest retained revision is only in the description's text: at least the next one.
      return new RevisionCompactedException(fromRevision, fromRevision + 1);
    }
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      endpoint.onUnavailable().run();
    }
    return new StoreUnavailableException(endpoint.name() + ": " + status.getCode() + " "
        + status.getDescription(), t);
  }

  private StoreUnavailableException noControlAgent() {
    return new StoreUnavailableException(selfId + " sees no ALIVE control agent to read the "
        + "policy store from", null);
  }
}
