package dev.meshd.raft;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.FieldError;
import dev.meshd.core.policy.InvalidDocumentException;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.NodeDrainValidator;
import dev.meshd.core.policy.NotFoundException;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.PlacementValidator;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyValidator;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreReply;
import dev.meshd.raft.internal.StoreRequest;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * The {@link PolicyStore} of a control node: writes (and linearizable reads) go through the Raft
 * group with a Ratis client, which finds the leader itself, so a write works from any member;
 * serializable reads and watches use the local replica.
 *
 * <p>Every call ends within {@link StoreOptions#callTimeout()}: the client retries a bounded
 * number of times and the future is failed with {@link StoreUnavailableException} at the
 * deadline in any case. Documents are validated before they are sent. Thread-safe.
 */
public final class RaftPolicyStore implements PolicyStore, AutoCloseable {

  private final RaftClient client;
  // Each call runs Ratis's blocking API on its own virtual thread. Ratis's ordered async API
  // keeps one sliding window per client: after a leader dies, the calls behind a failed one wait
  // for its retries (a minute), so one agent's writes stalled long after a new leader was up.
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private final PolicyStateMachine local;
  private final StoreOptions options;

  RaftPolicyStore(RaftGroup group, PolicyStateMachine local, StoreOptions options,
      Parameters parameters) {
    this.local = Objects.requireNonNull(local, "local");
    this.options = Objects.requireNonNull(options, "options");
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(
        options.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS));
    this.client = RaftClient.newBuilder()
        .setRaftGroup(group)
        .setProperties(properties)
        // The voter's parameters: with TLS, the store dials the group as the voter does.
        .setParameters(Objects.requireNonNull(parameters, "parameters"))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(options.maxAttempts(),
            TimeDuration.valueOf(options.retrySleep().toMillis(), TimeUnit.MILLISECONDS)))
        .build();
  }

  public StoreOptions options() {
    return options;
  }

  @Override
  public CompletableFuture<Policy> putPolicy(Policy policy, OptionalLong expectedRevision) {
    List<FieldError> errors = PolicyValidator.validate(policy);
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvalidDocumentException(DocumentKind.POLICY, errors));
    }
    StoreRequest request = StoreRequest.put(policy, boxed(expectedRevision));
    return write(request, reply -> reply.policy());
  }

  @Override
  public CompletableFuture<Policy> getPolicy(String name) {
    return read(StoreRequest.get(DocumentKind.POLICY, name), StoreReply::policy);
  }

  @Override
  public CompletableFuture<Listing<Policy>> listPolicies() {
    return read(StoreRequest.list(DocumentKind.POLICY),
        reply -> new Listing<>(reply.policies(), reply.revision()));
  }

  @Override
  public CompletableFuture<Long> deletePolicy(String name, OptionalLong expectedRevision) {
    return write(StoreRequest.delete(DocumentKind.POLICY, name, boxed(expectedRevision)),
        StoreReply::revision);
  }

  @Override
  public CompletableFuture<Placement> putPlacement(
      Placement placement, OptionalLong expectedRevision) {
    List<FieldError> errors = PlacementValidator.validate(placement);
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvalidDocumentException(DocumentKind.PLACEMENT, errors));
    }
    return write(StoreRequest.put(placement, boxed(expectedRevision)), StoreReply::placement);
  }

  @Override
  public CompletableFuture<Placement> getPlacement(String name) {
    return read(StoreRequest.get(DocumentKind.PLACEMENT, name), StoreReply::placement);
  }

  @Override
  public CompletableFuture<Listing<Placement>> listPlacements() {
    return read(StoreRequest.list(DocumentKind.PLACEMENT),
        reply -> new Listing<>(reply.placements(), reply.revision()));
  }

  @Override
  public CompletableFuture<Long> deletePlacement(String name, OptionalLong expectedRevision) {
    return write(StoreRequest.delete(DocumentKind.PLACEMENT, name, boxed(expectedRevision)),
        StoreReply::revision);
  }

  @Override
  public CompletableFuture<NodeDrain> putDrain(NodeDrain drain, OptionalLong expectedRevision) {
    List<FieldError> errors = NodeDrainValidator.validate(drain);
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvalidDocumentException(DocumentKind.DRAIN, errors));
    }
    return write(StoreRequest.put(drain, boxed(expectedRevision)), StoreReply::drain);
  }

  @Override
  public CompletableFuture<Long> deleteDrain(String nodeId, OptionalLong expectedRevision) {
    return write(StoreRequest.delete(DocumentKind.DRAIN, nodeId, boxed(expectedRevision)),
        StoreReply::revision);
  }

  @Override
  public CompletableFuture<Listing<NodeDrain>> listDrains() {
    return read(StoreRequest.list(DocumentKind.DRAIN),
        reply -> new Listing<>(reply.drains(), reply.revision()));
  }

  /**
   * Writes a saved store into this store through the group, only if it is empty (nothing ever
   * written); returns the store revision afterwards, the saved one. Fails with {@link
   * StoreNotEmptyException} otherwise (nothing changes), or {@link StoreUnavailableException}.
   * Watches open on the empty store end with {@code RevisionCompactedException}.
   */
  public CompletableFuture<Long> restore(StoreExport export) {
    StoreRequest request = StoreRequest.restore(export.document());
    CompletableFuture<Long> result = new CompletableFuture<>();
    send(request)
        .orTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((answer, error) -> {
          StoreReply reply = error == null ? toReply(answer) : null;
          if (reply == null) {
            result.completeExceptionally(unavailable(request, error, answer));
          } else if (reply.outcome() == StoreReply.Outcome.OK) {
            result.complete(reply.revision());
          } else if (reply.outcome() == StoreReply.Outcome.CONFLICT) {
            result.completeExceptionally(new StoreNotEmptyException(reply.revision()));
          } else {
            result.completeExceptionally(new IllegalStateException(
                "the store refused the restore as malformed"));
          }
        });
    return result;
  }

  /** Watches this member's replica; see {@link PolicyStateMachine#watch}. */
  @Override
  public Watch watch(long fromRevision, WatchListener listener) {
    return local.watch(fromRevision, listener);
  }

  @Override
  public void close() throws IOException {
    calls.shutdownNow();
    client.close();
  }

  private <T> CompletableFuture<T> write(StoreRequest request, Function<StoreReply, T> onOk) {
    if (request.name().isEmpty()) {
      return emptyName(request);
    }
    return complete(request, send(request), onOk);
  }

  private <T> CompletableFuture<T> read(StoreRequest request, Function<StoreReply, T> onOk) {
    if (request.name().isEmpty() && request.op() == StoreRequest.Op.GET) {
      return emptyName(request);
    }
    if (options.readConsistency() == ReadConsistency.SERIALIZABLE) {
      return complete(request, CompletableFuture.completedFuture(local.read(request)), onOk);
    }
    return complete(request, sendReadOnly(request), onOk);
  }

  private CompletableFuture<RaftClientReply> send(StoreRequest request) {
    Message message = toMessage(request);
    return call(() -> client.io().send(message));
  }

  private CompletableFuture<RaftClientReply> sendReadOnly(StoreRequest request) {
    Message message = toMessage(request);
    return call(() -> client.io().sendReadOnly(message));
  }

  private CompletableFuture<RaftClientReply> call(RatisCall call) {
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    try {
      calls.execute(() -> {
        try {
          reply.complete(call.run());
        } catch (IOException | RuntimeException e) {
          reply.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(new IOException("policy store client is closed", e));
    }
    return reply;
  }

  @FunctionalInterface
  private interface RatisCall {
    RaftClientReply run() throws IOException;
  }

  private static <T> CompletableFuture<T> emptyName(StoreRequest request) {
    return CompletableFuture.failedFuture(new InvalidDocumentException(request.kind(),
        List.of(request.kind() == DocumentKind.DRAIN
            ? new FieldError("nodeId", "empty (expected: a node id)")
            : new FieldError("name", "empty (expected: a name)"))));
  }

  /** Turns a Ratis outcome into the contract's result or typed failure, never wrapped. */
  private <T> CompletableFuture<T> complete(
      StoreRequest request, CompletableFuture<?> sent, Function<StoreReply, T> onOk) {
    CompletableFuture<T> result = new CompletableFuture<>();
    sent.orTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((answer, error) -> {
          try {
            StoreReply reply = error == null ? toReply(answer) : null;
            if (reply == null) {
              result.completeExceptionally(unavailable(request, error, answer));
            } else {
              result.complete(outcome(request, reply, onOk));
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private static StoreReply toReply(Object answer) {
    if (answer instanceof StoreReply reply) {
      return reply;
    }
    RaftClientReply raftReply = (RaftClientReply) answer;
    if (!raftReply.isSuccess()) {
      return null;
    }
    return StoreCodec.decode(raftReply.getMessage().getContent().toByteArray(), StoreReply.class);
  }

  private static <T> T outcome(StoreRequest request, StoreReply reply, Function<StoreReply, T> ok) {
    return switch (reply.outcome()) {
      case OK -> ok.apply(reply);
      case NOT_FOUND -> throw new NotFoundException(request.kind(), request.name());
      case CONFLICT -> throw new RevisionConflictException(request.kind(), request.name(),
          request.expectedRevision(), reply.revision());
      case MALFORMED -> throw new IllegalStateException(
          "the store refused a malformed " + request.op() + " of " + request.kind().label());
    };
  }

  private StoreUnavailableException unavailable(
      StoreRequest request, Throwable error, Object answer) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException c
        && c.getCause() != null ? c.getCause() : error;
    if (cause == null && answer instanceof RaftClientReply r) {
      cause = r.getException();
    }
    String why = cause instanceof java.util.concurrent.TimeoutException
        ? "no answer within " + options.callTimeout().toMillis() + " ms"
        : String.valueOf(cause);
    String what = request.op() == StoreRequest.Op.RESTORE ? "" : " " + request.kind().label();
    return new StoreUnavailableException("policy store unavailable: " + request.op() + what
        + (request.name().isEmpty() ? "" : " \"" + request.name() + "\"")
        + ": " + why, cause);
  }

  private static Message toMessage(StoreRequest request) {
    return Message.valueOf(ByteString.copyFrom(StoreCodec.encode(request)));
  }

  private static Long boxed(OptionalLong revision) {
    if (revision.isPresent() && revision.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "expectedRevision: " + revision.getAsLong() + " (expected: >= 0)");
    }
    return revision.isPresent() ? revision.getAsLong() : null;
  }
}
