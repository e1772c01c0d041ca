package dev.meshd.agent.control;

import dev.meshd.raft.StoreNotEmptyException;
import dev.meshd.core.policy.StoreUnavailableException;
import dev.meshd.raft.InvalidExportException;
import dev.meshd.raft.RaftPolicyStore;
import dev.meshd.raft.StoreExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a pending {@link StoreSeed} into the store through Raft, in the background: retried while
 * the group has no leader yet (its peers may still be starting), applied only if the store is
 * empty (the state machine decides, identically on every replica), then renamed so a restart
 * never applies it again. {@link #close()} stops a seeding that has not finished; the seed stays
 * pending for the next start.
 */
public final class StoreSeeder implements AutoCloseable {

  /** The group's other voters may come up minutes apart during a recovery. */
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(StoreSeeder.class);

  private final Path dataDir;
  private final RaftPolicyStore store;
  private volatile Thread worker;

  public StoreSeeder(Path dataDir, RaftPolicyStore store) {
    this.dataDir = dataDir;
    this.store = store;
  }

  /** Starts seeding if a seed is pending; returns at once. */
  public void start() {
    Path seed = StoreSeed.pending(dataDir);
    if (!Files.isRegularFile(seed)) {
      return;
    }
    worker = Thread.ofVirtual().name("store-seeder").start(() -> seed(seed));
  }

  private void seed(Path seed) {
    StoreExport export;
    try {
      export = StoreExport.parse(Files.readAllBytes(seed));
    } catch (IOException | InvalidExportException e) {
      LOG.error("restore: cannot read {}: {}; renamed to {}", seed, e.getMessage(),
          StoreSeed.rejected(dataDir).getFileName());
      moveQuietly(seed, StoreSeed.rejected(dataDir));
      return;
    }
    LOG.info("restore: writing the saved store (revision {}) from {} once the group has a leader",
        export.revision(), seed);
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long revision = store.restore(export).get();
        LOG.info("restore: store restored at revision {}", revision);
        moveQuietly(seed, StoreSeed.applied(dataDir));
        return;
      } catch (InterruptedException e) {
        LOG.info("restore: stopped before the store was restored; the seed stays at {}", seed);
        return;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StoreNotEmptyException conflict) {
          LOG.error("restore: refused, the store is not empty ({}); {} renamed to {}",
              conflict.getMessage(), seed, StoreSeed.rejected(dataDir).getFileName());
          moveQuietly(seed, StoreSeed.rejected(dataDir));
          return;
        }
        if (!(cause instanceof StoreUnavailableException) || System.nanoTime() > deadline) {
          LOG.error("restore: gave up: {}; the seed stays at {} for the next start",
              String.valueOf(cause), seed);
          return;
        }
        LOG.info("restore: store not available yet ({}); retrying", cause.getMessage());
        LockSupport.parkNanos(RETRY_PAUSE.toNanos()); // returns early on close()'s interrupt
      }
    }
  }

  private static void moveQuietly(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.error("restore: could not rename {} to {}: {}", from, to, e.toString());
    }
  }

  @Override
  public void close() {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }
}
