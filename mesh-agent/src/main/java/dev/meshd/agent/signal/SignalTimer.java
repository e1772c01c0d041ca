package dev.meshd.agent.signal;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Monotonic time and delayed tasks for the signal path, behind an interface so that tests move
 * time by hand (see {@code ManualSignalTimer} in the tests). Thread-safe.
 */
public interface SignalTimer extends AutoCloseable {

  /** A monotonic reading in nanoseconds; only differences mean anything. */
  long nanoTime();

  /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Stops running tasks; idempotent. */
  @Override
  void close();

  /** A scheduled task that may still be cancelled. */
  interface Cancellable {
    void cancel();
  }

  /** {@link System#nanoTime()} and one scheduler thread (virtual) named {@code name}. */
  static SignalTimer system(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
        Thread.ofVirtual().name(name + "-", 0).factory());
    // Heartbeat timers are cancelled on every send: do not let them pile up in the queue.
    executor.setRemoveOnCancelPolicy(true);
    return new SignalTimer() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        if (executor.isShutdown()) {
          return () -> {};
        }
        try {
          var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> future.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          return () -> {}; // closed meanwhile: nothing runs any more
        }
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
