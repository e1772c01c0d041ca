package dev.meshd.raft.internal;

import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.core.policy.WatchListener;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live watches of one state machine. The state machine calls {@link #register}, {@link
 * #publish} and {@link #reset} while holding its lock, so a new watch gets its replay and then
 * every later change, with no gap and no duplicate.
 *
 * <p>Thread-safe. Listeners run on virtual threads, one task per watch at a time.
 */
public final class WatchHub implements AutoCloseable {

  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("meshd-watch-", 0).factory());
  private final int capacity;
  private volatile boolean closed;

  /** @param capacity changes a watch may have queued before it is cancelled */
  public WatchHub(int capacity) {
    this.capacity = capacity;
  }

  /** Starts a watch at {@code fromRevision}; caller holds the state lock. */
  public PolicyStore.Watch register(long fromRevision, WatchListener listener, StoreState state) {
    if (closed) {
      // No delivery thread is left: say so on the caller's thread.
      listener.onError(new StoreUnavailableException("policy store closed", null));
      return () -> {};
    }
    Watcher watcher = new Watcher(fromRevision, listener, executor, capacity, watchers::remove);
    Optional<List<StoreChange>> replay = state.history().from(fromRevision, state.revision());
    if (replay.isEmpty()) {
      watcher.fail(new RevisionCompactedException(
          fromRevision, state.history().oldestRetained(state.revision())));
      return watcher;
    }
    watchers.add(watcher);
    long oldest = state.history().oldestRetained(state.revision());
    replay.get().forEach(change -> watcher.offer(change, oldest));
    return watcher;
  }

  /** Hands an applied change to every watch; caller holds the state lock. */
  public void publish(StoreChange change, long oldestRetained) {
    for (Watcher watcher : watchers) {
      watcher.offer(change, oldestRetained);
    }
  }

  /**
   * After the state was replaced by a snapshot: each watch continues from the restored history
   * if it still holds the revision the watch waits for, and is cancelled otherwise.
   */
  public void reset(StoreState state) {
    long oldest = state.history().oldestRetained(state.revision());
    for (Watcher watcher : watchers) {
      long next = watcher.nextRevision();
      Optional<List<StoreChange>> replay = state.history().from(next, state.revision());
      if (replay.isEmpty()) {
        watcher.fail(new RevisionCompactedException(next, oldest));
      } else {
        replay.get().forEach(change -> watcher.offer(change, oldest));
      }
    }
  }

  /** Ends every watch with {@code error}. */
  public void failAll(PolicyStoreException error) {
    for (Watcher watcher : watchers) {
      watcher.fail(error);
    }
  }

  public int size() {
    return watchers.size();
  }

  /** Stops delivery; the errors {@link #failAll} queued before still reach their listeners. */
  @Override
  public void close() {
    closed = true;
    executor.shutdown();
  }
}
