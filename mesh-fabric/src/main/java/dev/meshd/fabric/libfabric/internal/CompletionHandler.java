package dev.meshd.fabric.libfabric.internal;

/**
 * Receives what {@link RdmEndpoint#poll} read from the completion queue. Called on the
 * endpoint's thread, inside {@code poll}; it must not call {@code poll} again.
 */
public interface CompletionHandler {

  /**
   * An operation finished.
   *
   * @param context the context the operation was posted with
   * @param flags {@code FI_SEND} or {@code FI_RECV}, with {@code FI_MSG}
   * @param length bytes received (receives only)
   */
  void onCompletion(long context, long flags, long length);

  /**
   * An operation failed ({@code fi_cq_readerr}).
   *
   * @param context the context the operation was posted with
   * @param errno positive error number, e.g. 265 for {@code FI_ETRUNC}
   * @param detail {@code fi_strerror}'s text, with the provider's own error number
   */
  void onError(long context, long flags, int errno, String detail);
}
