package dev.meshd.agent.signal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link SignalTimer} whose time moves only in {@link #advance}: due tasks run there, on the
 * test's thread, in order of due time. Thread-safe.
 */
final class ManualSignalTimer implements SignalTimer {

  private record Task(long dueNanos, long order, Runnable body, boolean[] cancelled) {}

  private final List<Task> tasks = new ArrayList<>();
  private long nowNanos = 1_000_000_000L;
  private long order;

  @Override
  public synchronized long nanoTime() {
    return nowNanos;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(nowNanos + delay.toNanos(), order++, task, cancelled));
    return () -> {
      synchronized (ManualSignalTimer.this) {
        cancelled[0] = true;
      }
    };
  }

  /** Moves time by {@code duration}, running every task that falls due on the way. */
  void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = nowNanos + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(t -> !t.cancelled()[0] && t.dueNanos() <= target)
            .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order))
            .orElse(null);
        if (next == null) {
          nowNanos = target;
          tasks.removeIf(t -> t.cancelled()[0]);
          return;
        }
        tasks.remove(next);
        nowNanos = Math.max(nowNanos, next.dueNanos());
      }
      next.body().run();
    }
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized long pending() {
    return tasks.stream().filter(t -> !t.cancelled()[0]).count();
  }

  @Override
  public void close() {}
}
