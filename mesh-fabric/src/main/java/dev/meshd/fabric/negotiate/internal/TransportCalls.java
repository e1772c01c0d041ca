package dev.meshd.fabric.negotiate.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each call into a stage transport on its own virtual thread with a deadline, so that a
 * transport that hangs (a probe that never returns, a native call stuck in a driver) costs the
 * negotiation its deadline and no more.
 *
 * <p>At the deadline the call's thread is interrupted and given {@link #STOP_GRACE} to end; a
 * value it still produces is handed to {@code discardLate} (an acceptance's responder is
 * released, not leaked). A thread that outlives the grace ignored the interrupt: it is counted
 * in {@link #stuck()} and logged, since nothing in Java can stop it.
 *
 * <p>Thread-safe: many sessions share one instance.
 */
public final class TransportCalls {

  /** How long an interrupted call may take to end before it is reported as stuck. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(TransportCalls.class);

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong stuck = new AtomicLong();

  /** One call into a transport. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws ProbeFailure, InterruptedException;
  }

  /**
   * Runs {@code call} within {@code deadline}.
   *
   * @param name for the thread and the logs, e.g. {@code probe-quic}
   * @param timeoutReason the reason of the failure thrown at the deadline
   * @param timeoutDetail its detail
   * @param discardLate receives a value produced after the deadline
   * @throws ProbeFailure the call's own failure; {@code timeoutReason} at the deadline; {@code
   *     transport_error} for anything else it threw
   * @throws InterruptedException when the calling thread is interrupted (the call's thread is
   *     interrupted too)
   */
  public <T> T call(String name, Duration deadline, FallbackReason timeoutReason,
      String timeoutDetail, Call<T> call, Consumer<? super T> discardLate)
      throws ProbeFailure, InterruptedException {
    Objects.requireNonNull(call, "call");
    CompletableFuture<T> result = new CompletableFuture<>();
    running.incrementAndGet();
    Thread thread = Thread.ofVirtual().name("fabric-" + name).start(() -> {
      try {
        result.complete(call.run());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        running.decrementAndGet();
      }
    });
    try {
      return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      stop(name, thread, result, discardLate);
      throw new ProbeFailure(timeoutReason, timeoutDetail);
    } catch (InterruptedException e) {
      stop(name, thread, result, discardLate);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ProbeFailure failure) {
        throw failure;
      }
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          name + " failed: " + cause, cause);
    }
  }

  /** Calls into transports that have not ended yet, stuck ones included. */
  public int running() {
    return running.get();
  }

  /** Calls that ignored their interrupt at the deadline, since this instance was made. */
  public long stuck() {
    return stuck.get();
  }

  private <T> void stop(String name, Thread thread, CompletableFuture<T> result,
      Consumer<? super T> discardLate) {
    thread.interrupt();
    boolean interrupted = false;
    try {
      thread.join(STOP_GRACE);
    } catch (InterruptedException e) {
      interrupted = true; // stopping anyway; keep the flag for the caller
    }
    if (thread.isAlive()) {
      stuck.incrementAndGet();
      LOG.warn("fabric: {} ignored its interrupt at the deadline and is left running", name);
      // Whatever it produces one day is still released.
      result.thenAccept(discardLate);
    } else if (result.isDone() && !result.isCompletedExceptionally()) {
      discardLate.accept(result.join());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
