package dev.meshd.agent.store;

import dev.meshd.core.policy.DocumentKind;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import dev.meshd.core.policy.PolicyStoreException;
import dev.meshd.core.policy.RevisionCompactedException;
import dev.meshd.core.policy.StoreChange;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.core.policy.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's local copy of the whole policy store (policies, placements, drains), kept
 * current by list-then-watch: it lists every kind, then watches from the oldest listing's
 * revision + 1, so no change falls between. A change a listing already reflects (its revision is
 * not above that kind's listing revision) only advances the revision. When the watch ends
 * (history compacted, control agent gone, store closed) or a listing fails, it lists and watches
 * again after a backoff that doubles from {@code initialBackoff} to {@code maxBackoff} and
 * starts over once a watch has lasted {@code maxBackoff}.
 *
 * <p>Readers call {@link #snapshot()} (an immutable {@link StoreSnapshot}, never null; {@link
 * StoreSnapshot#EMPTY} until the first listing) or register {@link #onChange} listeners. After a
 * relist from a replica that trails the previous one, the revision may step back; readers that
 * care compare revisions.
 *
 * <p>Thread-safety: one thread ({@code store-view}) owns the sync state and calls the listeners,
 * in order; the store's callbacks only enqueue work there. {@link #snapshot()} may be called from
 * any thread. {@link #start()} and {@link #close()} are idempotent.
 */
public final class StoreView implements StoreReader, AutoCloseable {

  /** A control agent restarts in seconds; an operator notices a stale view in about as long. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(StoreView.class);

  private final StoreSource source;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService loop;
  private final AtomicReference<StoreSnapshot> current = new AtomicReference<>(StoreSnapshot.EMPTY);
  private final List<Consumer<StoreSnapshot>> listeners = new CopyOnWriteArrayList<>();

  // Owned by the loop thread.
  private long generation;
  private boolean started;
  private boolean closed;
  private boolean synced;
  private boolean failing; // a streak of failed listings or ended watches: log its start only
  private PolicyStore.Watch watch;
  private long watchOpenedAtNanos;
  private Duration nextBackoff;
  private final Map<DocumentKind, Long> listedRevisions = new EnumMap<>(DocumentKind.class);
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(long revision, CompletableFuture<StoreSnapshot> future) {}

  public StoreView(StoreSource source, Duration initialBackoff, Duration maxBackoff,
      LongSupplier nanoTime) {
    this.source = Objects.requireNonNull(source, "source");
    this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.nextBackoff = initialBackoff;
    this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "store-view");
      thread.setDaemon(true);
      return thread;
    });
  }

  public StoreView(StoreSource source) {
    this(source, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, System::nanoTime);
  }

  /** Lists and starts watching, in the background; returns at once. */
  public void start() {
    run(() -> {
      if (!started && !closed) {
        started = true;
        relist();
      }
    });
  }

  /** The store as this agent last saw it; never null. */
  @Override
  public StoreSnapshot snapshot() {
    return current.get();
  }

  /**
   * Calls {@code listener} with every new snapshot, on the view's thread, in order; it must
   * return quickly. Closing the returned handle unregisters it.
   */
  @Override
  public AutoCloseable onChange(Consumer<StoreSnapshot> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Completes with the first snapshot at {@code revision} or later (at once if the view is
   * there), after the {@link #onChange} listeners have seen it; fails if the view closes first.
   * For tests and for callers that wrote through the store and want to read their write here.
   */
  public CompletableFuture<StoreSnapshot> awaitRevision(long revision) {
    CompletableFuture<StoreSnapshot> future = new CompletableFuture<>();
    run(() -> {
      StoreSnapshot now = current.get();
      if (now.revision() >= revision) {
        future.complete(now);
      } else if (closed) {
        future.completeExceptionally(new IllegalStateException("store view closed"));
      } else {
        waiters.add(new Waiter(revision, future));
      }
    }, future);
    return future;
  }

  /** Stops watching; the last snapshot stays readable. */
  @Override
  public void close() {
    run(() -> {
      if (closed) {
        return;
      }
      closed = true;
      generation++;
      closeWatch();
      waiters.forEach(w -> w.future().completeExceptionally(
          new IllegalStateException("store view closed")));
      waiters.clear();
    });
    loop.shutdown();
    try {
      if (!loop.awaitTermination(2, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      loop.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  // ---- on the loop thread ----

  private void relist() {
    long listing = ++generation;
    closeWatch();
    try {
      CompletableFuture<Listing<Policy>> policies = source.listPolicies();
      CompletableFuture<Listing<Placement>> placements = source.listPlacements();
      CompletableFuture<Listing<NodeDrain>> drains = source.listDrains();
      CompletableFuture.allOf(policies, placements, drains).whenComplete((ignored, failure) ->
          run(() -> onListed(listing, policies, placements, drains, failure)));
    } catch (RuntimeException e) {
      // A source that throws instead of failing its future (a closed channel, say).
      retryLater("listing the store failed: " + e);
    }
  }

  private void onListed(long listing, CompletableFuture<Listing<Policy>> policies,
      CompletableFuture<Listing<Placement>> placements,
      CompletableFuture<Listing<NodeDrain>> drains, Throwable failure) {
    if (closed || listing != generation) {
      return;
    }
    if (failure != null) {
      retryLater("listing the store failed: " + rootMessage(failure));
      return;
    }
    Listing<Policy> p = policies.join();
    Listing<Placement> pl = placements.join();
    Listing<NodeDrain> d = drains.join();
    listedRevisions.put(DocumentKind.POLICY, p.revision());
    listedRevisions.put(DocumentKind.PLACEMENT, pl.revision());
    listedRevisions.put(DocumentKind.DRAIN, d.revision());
    StoreSnapshot listed = StoreSnapshot.of(p, pl, d);
    if (!synced || failing) {
      LOG.info("store view: synced from {} at revision {} ({} policies, {} placements, "
          + "{} drains)", source, listed.revision(), listed.policies().size(),
          listed.placements().size(), listed.drains().size());
    }
    synced = true;
    failing = false;
    publish(listed);
    watchOpenedAtNanos = nanoTime.getAsLong();
    try {
      watch = source.watch(listed.revision() + 1, new WatchListener() {
        @Override
        public void onChange(StoreChange change) {
          run(() -> onWatched(listing, change));
        }

        @Override
        public void onError(PolicyStoreException error) {
          run(() -> onWatchEnded(listing, error));
        }
      });
    } catch (RuntimeException e) {
      onWatchEnded(listing, e);
    }
  }

  private void onWatched(long listing, StoreChange change) {
    if (closed || listing != generation) {
      return;
    }
    StoreSnapshot before = current.get();
    if (change.revision() <= before.revision()) {
      return; // already applied: a replayed change is harmless
    }
    if (change.revision() != before.revision() + 1) {
      // The store promises consecutive revisions; a gap means the stream lost something.
      onWatchEnded(listing, new RevisionCompactedException(before.revision() + 1,
          change.revision()));
      return;
    }
    boolean reflected = change.revision() <= listedRevisions.getOrDefault(change.kind(), 0L);
    publish(reflected
        ? new StoreSnapshot(before.policies(), before.placements(), before.drains(),
            change.revision())
        : before.apply(change));
  }

  private void onWatchEnded(long listing, Throwable error) {
    if (closed || listing != generation) {
      return;
    }
    generation++; // late calls of the ended watch are ignored
    closeWatch();
    if (nanoTime.getAsLong() - watchOpenedAtNanos >= maxBackoff.toNanos()) {
      nextBackoff = initialBackoff;
    }
    retryLater("watch ended: " + rootMessage(error));
  }

  private void retryLater(String why) {
    Duration delay = nextBackoff;
    nextBackoff = nextBackoff.multipliedBy(2).compareTo(maxBackoff) > 0
        ? maxBackoff : nextBackoff.multipliedBy(2);
    if (failing) {
      LOG.debug("store view: {}; listing again in {} ms", why, delay.toMillis());
    } else {
      LOG.info("store view: {}; listing again in {} ms", why, delay.toMillis());
    }
    failing = true;
    long retry = ++generation;
    try {
      loop.schedule(() -> {
        if (!closed && retry == generation) {
          relist();
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void publish(StoreSnapshot snapshot) {
    current.set(snapshot);
    for (Consumer<StoreSnapshot> listener : listeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        LOG.warn("store view: a listener failed: {}", e.toString());
      }
    }
    // After the listeners, so that a waiter knows they have seen the revision too.
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (snapshot.revision() >= waiter.revision()) {
        waiter.future().complete(snapshot);
        it.remove();
      }
    }
  }

  private void closeWatch() {
    if (watch != null) {
      PolicyStore.Watch ending = watch;
      watch = null;
      try {
        ending.close();
      } catch (RuntimeException e) {
        LOG.debug("store view: closing a watch failed: {}", e.toString());
      }
    }
  }

  private void run(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: nothing more to do
    }
  }

  private void run(Runnable task, CompletableFuture<?> failIfClosed) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      failIfClosed.completeExceptionally(new IllegalStateException("store view closed"));
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t
        && (t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
