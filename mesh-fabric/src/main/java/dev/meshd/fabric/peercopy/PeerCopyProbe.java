package dev.meshd.fabric.peercopy;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.fabric.peercopy.internal.PeerCopySession;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peer-copy payload probe between two GPUs of this host, over any {@link PeerCopyDriver}:
 * checks peer access both ways (and, where the API can tell, that the pair is joined by the
 * link the transport stands for), enables it, then copies {@link ProbeSpec#messages()} payloads
 * of {@link ProbeSpec#messageBytes()} host → GPU A, A → B as a peer copy (timed, with a
 * synchronize: the bandwidth), B → host, and verifies each by CRC32C; the round trip is the
 * median of {@link ProbeSpec#pings()} small A → B → A peer copies.
 *
 * <p>The driver is loaded on first use. A library that cannot be loaded fails with {@link
 * FallbackReason#LIBRARY_MISSING} and the {@link Api#whenMissing} words; one that lacks a
 * function, likewise with the function's name. A failed load is retried next time, in case the
 * library is installed meanwhile.
 *
 * <p>A native call cannot be interrupted: the probe runs on a thread of its own ({@link
 * BoundedNativeCall}), checks the deadline between copies, and the caller waits at most the
 * deadline plus {@link #CLEANUP_GRACE}. While a probe stuck in the driver has not returned, later
 * ones fail at once with {@link FallbackReason#PROBE_TIMEOUT}. Thread-safe; probes run one at a
 * time.
 */
public class PeerCopyProbe implements GpuPairProbe {

  /**
   * How long past the deadline the caller waits for a probe that stopped at it to free its
   * buffers and contexts: a copy of at most {@link ProbeSpec#MAX_MESSAGE_BYTES} takes well under
   * this on any working link, so only a hung driver runs into it.
   */
  public static final Duration CLEANUP_GRACE = Duration.ofMillis(100);

  /**
   * One vendor API.
   *
   * @param name how failures name it, e.g. {@code CUDA} ("CUDA: no answer within 300ms")
   * @param threadName the probe thread's name
   * @param whenMissing what follows "{@code <library> not found: }" when the library cannot be
   *     loaded, e.g. "no CUDA driver on this node; NVLink probe skipped"
   * @param loader binds the library
   */
  public record Api(
      String name, String threadName, String whenMissing, PeerCopyDriver.Loader loader) {
    public Api {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(threadName, "threadName");
      Objects.requireNonNull(whenMissing, "whenMissing");
      Objects.requireNonNull(loader, "loader");
    }
  }

  private final Api api;
  private final String library;
  private final BoundedNativeCall calls;
  private PeerCopyDriver driver;

  /**
   * @param library a name the dynamic loader searches for, or a path containing {@code /} (tests
   *     load a fake library this way)
   */
  public PeerCopyProbe(Api api, String library) {
    this.api = Objects.requireNonNull(api, "api");
    this.library = Objects.requireNonNull(library, "library");
    this.calls = new BoundedNativeCall(api.name(), api.threadName());
  }

  @Override
  public synchronized ProbeResult probe(int gpuA, int gpuB, ProbeSpec spec) throws ProbeFailure {
    Objects.requireNonNull(spec, "spec");
    if (gpuA < 0 || gpuB < 0 || gpuA == gpuB) {
      throw new IllegalArgumentException(
          "gpus: " + gpuA + ", " + gpuB + " (expected: two different indexes >= 0)");
    }
    long start = System.nanoTime();
    PeerCopyDriver bound = driver();
    long seed = ThreadLocalRandom.current().nextLong();
    Duration wait = spec.deadline().plus(CLEANUP_GRACE);
    return switch (calls.call(() -> session(bound, gpuA, gpuB, spec, seed, start), wait)) {
      case BoundedNativeCall.Outcome.Done<Outcome>(Outcome.Passed(ProbeResult result)) -> result;
      case BoundedNativeCall.Outcome.Done<Outcome>(Outcome.Failed(ProbeFailure failure)) ->
          throw failure;
      case BoundedNativeCall.Outcome.Failed<Outcome>(String message) ->
          throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, message);
    };
  }

  @Override
  public synchronized void checkDriver() throws ProbeFailure {
    driver();
  }

  private PeerCopyDriver driver() throws ProbeFailure {
    if (driver == null) {
      try {
        driver = api.loader().load(library);
      } catch (IllegalArgumentException e) {
        throw new ProbeFailure(FallbackReason.LIBRARY_MISSING,
            library + " not found: " + api.whenMissing());
      } catch (GpuCallException e) {
        throw new ProbeFailure(FallbackReason.LIBRARY_MISSING, e.getMessage());
      }
    }
    return driver;
  }

  /** What the probe thread hands back: {@link BoundedNativeCall} takes no checked exceptions. */
  private sealed interface Outcome {
    record Passed(ProbeResult result) implements Outcome {}

    record Failed(ProbeFailure failure) implements Outcome {}
  }

  private Outcome session(PeerCopyDriver bound, int gpuA, int gpuB, ProbeSpec spec, long seed,
      long start) {
    try {
      return new Outcome.Passed(
          new PeerCopySession(bound, api.name(), gpuA, gpuB, spec, seed, start).run());
    } catch (ProbeFailure failure) {
      return new Outcome.Failed(failure);
    }
  }

  @Override
  public String toString() {
    return "PeerCopyProbe[" + api.name() + ", " + library + "]";
  }
}
