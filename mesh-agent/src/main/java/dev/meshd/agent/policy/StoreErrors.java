package dev.meshd.agent.policy;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.InvalidDocumentException;
import dev.meshd.core.policy.NotFoundException;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.RevisionConflictException;
import dev.meshd.core.policy.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Policy-store failures as the gRPC statuses of the contract. */
final class StoreErrors {

  private StoreErrors() {}

  static StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StatusRuntimeException decided) {
      return decided;
    }
    Status status =
        switch (cause) {
          case InvalidDocumentException e -> Status.INVALID_ARGUMENT.withDescription(
              String.join("; ", e.errors().stream().map(Object::toString).toList()));
          case RevisionConflictException e ->
              Status.FAILED_PRECONDITION.withDescription(e.getMessage());
          case NotFoundException e when e.kind() == DocumentKind.DRAIN ->
              Status.NOT_FOUND.withDescription("node \"" + e.name() + "\" is not drained");
          case NotFoundException e -> Status.NOT_FOUND.withDescription(
              e.kind().label() + " \"" + e.name() + "\"");
          case RevisionCompactedException e -> Status.OUT_OF_RANGE.withDescription(
              e.getMessage());
          case StoreUnavailableException e -> Status.UNAVAILABLE.withDescription(e.getMessage());
          case PolicyStoreException e -> Status.INTERNAL.withDescription(e.getMessage());
          case IllegalArgumentException e ->
              Status.INVALID_ARGUMENT.withDescription(e.getMessage());
          default -> Status.INTERNAL.withDescription("policy store: " + cause);
        };
    return status.asRuntimeException();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
