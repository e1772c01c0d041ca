package dev.meshd.core.policy;

/**
 * Why a {@link PolicyStore} call failed. Each subclass maps to one gRPC status at the API edge.
 */
public abstract sealed class PolicyStoreException extends RuntimeException
    permits InvalidDocumentException, NotFoundException, RevisionCompactedException,
        RevisionConflictException, StoreUnavailableException {

  protected PolicyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
