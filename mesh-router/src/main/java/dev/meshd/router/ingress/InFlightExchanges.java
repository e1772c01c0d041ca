package dev.meshd.router.ingress;

import java.time.Duration;

/**
 * Counts the exchanges being handled, so that a drain can wait for exactly those. The JDK HTTP
 * server's own count cannot be used: an exchange aborted on purpose (an upstream that broke
 * mid-response) is never counted out, and its {@code stop(delay)} would then always wait the
 * whole delay. Thread-safe.
 */
final class InFlightExchanges {

  private int count;

  synchronized void enter() {
    count++;
  }

  synchronized void exit() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return count;
  }

  /** Waits until no exchange is in flight or {@code timeout} passed; true when none is. */
  synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
