package dev.meshd.agent.fabric;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual threads running negotiations on this agent (probes it leads, negotiations it
 * answers), so that {@link #close()} can stop them: each is interrupted and joined within a
 * bounded time. A session ends by itself within its deadlines; this is for the agent stopping.
 * Thread-safe; {@link #close()} is idempotent, and nothing starts after it.
 */
final class Sessions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  private static final Duration JOIN = Duration.ofSeconds(2);

  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Runs {@code body} on a new virtual thread named {@code name}.
   *
   * @return interrupts that thread (a no-op once it has ended)
   * @throws IllegalStateException once closed
   */
  Runnable start(String name, Runnable body) {
    if (closed) {
      throw new IllegalStateException("fabric sessions closed");
    }
    Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
      try {
        body.run();
      } finally {
        running.remove(Thread.currentThread());
      }
    });
    running.add(thread);
    thread.start();
    return thread::interrupt;
  }

  /** Sessions still running. */
  int running() {
    return running.size();
  }

  @Override
  public void close() {
    closed = true;
    running.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + JOIN.toNanos();
    for (Thread thread : running) {
      try {
        thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!running.isEmpty()) {
      LOG.warn("fabric: {} negotiation(s) still running after {} s", running.size(),
          JOIN.toSeconds());
    }
  }
}
