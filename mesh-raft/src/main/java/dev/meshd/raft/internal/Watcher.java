package dev.meshd.raft.internal;

import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.WatchListener;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a bounded queue of changes drained into the listener by at most one task at a time,
 * so the state machine's apply thread never waits for a listener. A listener that lets {@code
 * capacity} changes pile up is cancelled with {@link RevisionCompactedException} and resumes by
 * listing again.
 *
 * <p>Thread-safe: the queue and flags are guarded by {@code this}.
 */
final class Watcher implements PolicyStore.Watch {

  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

  private final WatchListener listener;
  private final Executor executor;
  private final int capacity;
  private final Consumer<Watcher> onClose;
  private final ArrayDeque<StoreChange> pending = new ArrayDeque<>();
  private long nextRevision;
  private PolicyStoreException terminal;
  private boolean draining;
  private boolean closed;

  Watcher(long fromRevision, WatchListener listener, Executor executor, int capacity,
      Consumer<Watcher> onClose) {
    this.nextRevision = fromRevision;
    this.listener = listener;
    this.executor = executor;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  synchronized long nextRevision() {
    return nextRevision;
  }

  /** Queues a change; ignores one already queued (replays after a snapshot overlap). */
  void offer(StoreChange change, long oldestRetained) {
    synchronized (this) {
      if (closed || change.revision() < nextRevision) {
        return;
      }
      if (pending.size() >= capacity) {
        long resumeAt = pending.peekFirst().revision();
        pending.clear();
        terminal = new RevisionCompactedException(resumeAt, oldestRetained);
        closed = true;
      } else {
        pending.addLast(change);
        nextRevision = change.revision() + 1;
      }
    }
    scheduleDrain();
  }

  /** Ends the watch with {@code error}, delivered after the changes already queued. */
  void fail(PolicyStoreException error) {
    synchronized (this) {
      if (closed) {
        return;
      }
      terminal = error;
      closed = true;
    }
    scheduleDrain();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      terminal = null;
      pending.clear();
    }
    onClose.accept(this);
  }

  private void scheduleDrain() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The hub closed after failing every watch; nothing is left to deliver to.
      synchronized (this) {
        draining = false;
      }
    }
  }

  private void drain() {
    while (true) {
      StoreChange next;
      PolicyStoreException error = null;
      synchronized (this) {
        next = pending.pollFirst();
        if (next == null) {
          error = terminal;
          terminal = null;
          draining = false;
          if (error == null) {
            return;
          }
        }
      }
      if (next != null) {
        deliver(next);
      } else {
        onClose.accept(this);
        listener.onError(error);
        return;
      }
    }
  }

  private void deliver(StoreChange change) {
    try {
      listener.onChange(change);
    } catch (RuntimeException e) {
      // A broken listener must not stall the others: drop its watch.
      LOG.warn("policy store: watch listener failed at revision {}, closing the watch: {}",
          change.revision(), e.toString());
      close();
    }
  }
}
