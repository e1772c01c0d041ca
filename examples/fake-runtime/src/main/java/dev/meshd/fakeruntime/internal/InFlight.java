package dev.meshd.fakeruntime.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the handlers running now, so that a graceful stop can wait for exactly them. {@code
 * HttpServer.stop(delay)} keeps its own count, but a handler that aborts its exchange on
 * purpose (the injected abrupt close) is never taken off it, and every later stop would wait
 * the whole delay. Thread-safe: {@link #lock} guards the count.
 */
public final class InFlight extends Filter {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int active; // guarded by lock

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    lock.lock();
    try {
      active++;
    } finally {
      lock.unlock();
    }
    try {
      chain.doFilter(exchange);
    } finally {
      lock.lock();
      try {
        if (--active == 0) {
          idle.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits until no handler runs, or {@code timeout} passes; true when idle. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (active > 0) {
        if (left <= 0) {
          return false;
        }
        left = idle.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String description() {
    return "counts running handlers";
  }
}
