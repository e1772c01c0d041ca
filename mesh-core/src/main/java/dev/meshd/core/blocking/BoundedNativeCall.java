package dev.meshd.core.blocking;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs work that calls into a native library (NVML, the CUDA driver) with a deadline the caller
 * can rely on. A native call cannot be interrupted, and a hung driver blocks it for minutes; so
 * the work runs on a daemon thread of its own and the caller waits at most the timeout. While a
 * timed-out call is still stuck, later calls fail at once instead of piling up threads that
 * would all block in the same driver.
 *
 * <p>One instance per library binding: it is the binding's calls that must not pile up.
 * Thread-safe: {@link #call} is synchronized, so calls through one instance run one at a time.
 */
public final class BoundedNativeCall {

  /** How a call ended. */
  public sealed interface Outcome<T> {
    /** The work returned {@code value} in time. */
    record Done<T>(T value) implements Outcome<T> {}

    /** It did not; {@code message} says why, prefixed with the library's name. */
    record Failed<T>(String message) implements Outcome<T> {}
  }

  private final String library;
  private final String threadName;
  private CompletableFuture<?> inFlight;

  /**
   * @param library how failures name the library, e.g. {@code NVML}
   * @param threadName the worker thread's name, e.g. {@code meshd-nvml-probe}
   */
  public BoundedNativeCall(String library, String threadName) {
    this.library = Objects.requireNonNull(library, "library");
    this.threadName = Objects.requireNonNull(threadName, "threadName");
  }

  /**
   * Runs {@code work} on a new daemon thread and waits for it at most {@code timeout}. A work
   * that throws fails with the exception's text; the work should turn the failures it expects
   * into values of its own.
   */
  public synchronized <T> Outcome<T> call(Supplier<T> work, Duration timeout) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(timeout, "timeout");
    if (inFlight != null && !inFlight.isDone()) {
      return new Outcome.Failed<>(library + ": an earlier call has not returned after "
          + BoundedCommand.format(timeout) + " or more (is the driver hung?)");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    inFlight = result;
    // A platform thread: a virtual thread blocked in native code would pin its carrier anyway.
    Thread.ofPlatform().daemon().name(threadName).start(() -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return new Outcome.Done<>(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return new Outcome.Failed<>(library + ": no answer within "
          + BoundedCommand.format(timeout) + " (is the driver hung?)");
    } catch (ExecutionException e) {
      return new Outcome.Failed<>(library + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Failed<>(library + ": interrupted while waiting");
    }
  }
}
