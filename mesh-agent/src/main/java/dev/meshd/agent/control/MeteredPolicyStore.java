package dev.meshd.agent.control;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.InvalidDocumentException;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.NotFoundException;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A {@link PolicyStore} that counts writes by kind and outcome ({@code meshd_store_writes_total})
 * and times them from submission until this agent has the applied result ({@code
 * meshd_raft_apply_seconds}: replication to a quorum, commit and apply). Reads pass through.
 * Thread-safe.
 */
public final class MeteredPolicyStore implements PolicyStore {

  private final PolicyStore delegate;
  private final MeterRegistry registry;
  private final Timer applyTime;

  public MeteredPolicyStore(PolicyStore delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
    this.applyTime = Timer.builder("meshd.raft.apply")
        .description("Time from submitting a write until it is committed and applied")
        .publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public CompletableFuture<Policy> putPolicy(Policy policy, OptionalLong expectedRevision) {
    return timed(DocumentKind.POLICY, () -> delegate.putPolicy(policy, expectedRevision));
  }

  @Override
  public CompletableFuture<Policy> getPolicy(String name) {
    return delegate.getPolicy(name);
  }

  @Override
  public CompletableFuture<Listing<Policy>> listPolicies() {
    return delegate.listPolicies();
  }

  @Override
  public CompletableFuture<Long> deletePolicy(String name, OptionalLong expectedRevision) {
    return timed(DocumentKind.POLICY, () -> delegate.deletePolicy(name, expectedRevision));
  }

  @Override
  public CompletableFuture<Placement> putPlacement(Placement placement,
      OptionalLong expectedRevision) {
    return timed(DocumentKind.PLACEMENT,
        () -> delegate.putPlacement(placement, expectedRevision));
  }

  @Override
  public CompletableFuture<Placement> getPlacement(String name) {
    return delegate.getPlacement(name);
  }

  @Override
  public CompletableFuture<Listing<Placement>> listPlacements() {
    return delegate.listPlacements();
  }

  @Override
  public CompletableFuture<Long> deletePlacement(String name, OptionalLong expectedRevision) {
    return timed(DocumentKind.PLACEMENT, () -> delegate.deletePlacement(name, expectedRevision));
  }

  @Override
  public CompletableFuture<NodeDrain> putDrain(NodeDrain drain, OptionalLong expectedRevision) {
    return timed(DocumentKind.DRAIN, () -> delegate.putDrain(drain, expectedRevision));
  }

  @Override
  public CompletableFuture<Long> deleteDrain(String nodeId, OptionalLong expectedRevision) {
    return timed(DocumentKind.DRAIN, () -> delegate.deleteDrain(nodeId, expectedRevision));
  }

  @Override
  public CompletableFuture<Listing<NodeDrain>> listDrains() {
    return delegate.listDrains();
  }

  @Override
  public Watch watch(long fromRevision, WatchListener listener) {
    return delegate.watch(fromRevision, listener);
  }

  private <T> CompletableFuture<T> timed(DocumentKind kind, Supplier<CompletableFuture<T>> write) {
    Timer.Sample sample = Timer.start(registry);
    return write.get().whenComplete((result, failure) -> {
      String outcome = outcome(failure);
      if (failure == null) {
        sample.stop(applyTime);
      }
      Counter.builder("meshd.store.writes")
          .description("Policy store writes submitted by this agent, by kind and outcome")
          .tag("kind", kind.label())
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    });
  }

  static String outcome(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return switch (cause) {
      case null -> "ok";
      case InvalidDocumentException e -> "invalid";
      case RevisionConflictException e -> "conflict";
      case NotFoundException e -> "not_found";
      case StoreUnavailableException e -> "unavailable";
      default -> "error";
    };
  }
}
