package dev.meshd.core.policy;

/**
 * Receives the changes of a {@link PolicyStore#watch}. Calls come from one thread at a time, in
 * revision order; a listener must not block for long, or it falls behind and is cancelled.
 */
public interface WatchListener {

  /** The next change, revisions strictly increasing by one. */
  void onChange(StoreChange change);

  /**
   * The watch ended and no more calls follow: {@link RevisionCompactedException} when the
   * requested revision (or the listener, by falling behind) left the retained history, so the
   * client lists again and watches from the listing's revision + 1; {@link
   * StoreUnavailableException} when the store closed.
   */
  default void onError(PolicyStoreException error) {}
}
