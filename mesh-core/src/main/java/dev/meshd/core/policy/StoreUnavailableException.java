package dev.meshd.core.policy;

/**
 * The store could not decide the call in time: no quorum, no reachable leader, or closed (gRPC
 * {@code UNAVAILABLE}). A write that fails this way may or may not have been applied; a
 * conditional write is the safe way to retry it.
 */
public final class StoreUnavailableException extends PolicyStoreException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
