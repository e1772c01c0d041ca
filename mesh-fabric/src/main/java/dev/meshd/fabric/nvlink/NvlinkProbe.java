package dev.meshd.fabric.nvlink;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.fabric.nvlink.internal.CudaDriver;
import dev.meshd.fabric.nvlink.internal.CudaException;
import dev.meshd.fabric.nvlink.internal.PeerCopySession;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The NVLink payload probe: proves that two GPUs of this host move bytes to each other as peers,
 * and measures how fast, through the CUDA driver API ({@code libcuda.so.1}) called in-process
 * with the FFM API.
 *
 * <p>{@link #probe} checks {@code cuDeviceCanAccessPeer} both ways, retains both primary contexts
 * and enables peer access, then copies {@link ProbeSpec#messages()} payloads of {@link
 * ProbeSpec#messageBytes()} host → GPU A, A → B with {@code cuMemcpyPeer} (timed, with a {@code
 * cuCtxSynchronize}: the bandwidth), B → host, and verifies each by CRC32C; the round trip is the
 * median of {@link ProbeSpec#pings()} small A → B → A peer copies. GPUs are named by their index
 * in PCI bus order, as NVML, nvidia-smi and {@code GpuTopologyDiscovery} name them.
 *
 * <p>Where there is no CUDA driver the probe fails at once with {@link
 * FallbackReason#LIBRARY_MISSING} ("libcuda.so.1 not found: no CUDA driver on this node; NVLink
 * probe skipped"); with a driver but no GPU, {@link FallbackReason#NO_GPU}; GPUs that cannot be
 * peers, {@link FallbackReason#NO_PEER_ACCESS}; corrupted bytes, {@link
 * FallbackReason#CHECKSUM_MISMATCH}. AMD's XGMI would need the same probe through HIP, which is
 * not implemented ({@code GpuTopologyDiscovery.XGMI_PROBE_NOT_IMPLEMENTED}).
 *
 * <p>A native call cannot be interrupted: the probe runs on a thread of its own ({@link
 * BoundedNativeCall}), checks the deadline between copies, and the caller waits at most the
 * deadline plus {@link #CLEANUP_GRACE}. While a probe stuck in the driver has not returned, later
 * ones fail at once with {@link FallbackReason#PROBE_TIMEOUT}. Thread-safe; probes run one at a
 * time.
 */
public final class NvlinkProbe {

  /** The CUDA driver's soname, what the CUDA runtime itself loads. */
  public static final String DEFAULT_LIBRARY = "libcuda.so.1";

  /**
   * How long past the deadline the caller waits for a probe that stopped at it to free its
   * buffers and contexts: a copy of at most {@link ProbeSpec#MAX_MESSAGE_BYTES} takes well under
   * this on any working link, so only a hung driver runs into it.
   */
  public static final Duration CLEANUP_GRACE = Duration.ofMillis(100);

  private final String library;
  private final BoundedNativeCall calls = new BoundedNativeCall("CUDA", "meshd-nvlink-probe");
  private CudaDriver cuda;

  /**
   * @param library a name the dynamic loader searches for, normally {@link #DEFAULT_LIBRARY}, or
   *     a path containing {@code /} (tests load a fake driver this way)
   */
  public NvlinkProbe(String library) {
    this.library = Objects.requireNonNull(library, "library");
  }

  /** A probe of this node's CUDA driver. */
  public static NvlinkProbe system() {
    return new NvlinkProbe(DEFAULT_LIBRARY);
  }

  /**
   * Probes the link from {@code gpuA} to {@code gpuB}.
   *
   * @param gpuA the sending GPU's index in PCI bus order
   * @param gpuB the receiving GPU's index, not {@code gpuA}
   * @throws ProbeFailure why the link cannot be used; the caller falls back to the next transport
   */
  public synchronized ProbeResult probe(int gpuA, int gpuB, ProbeSpec spec) throws ProbeFailure {
    Objects.requireNonNull(spec, "spec");
    if (gpuA < 0 || gpuB < 0 || gpuA == gpuB) {
      throw new IllegalArgumentException(
          "gpus: " + gpuA + ", " + gpuB + " (expected: two different indexes >= 0)");
    }
    long start = System.nanoTime();
    CudaDriver bound = driver();
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

  /**
   * Loads the CUDA driver if it is not yet: fails with {@link FallbackReason#LIBRARY_MISSING}
   * when there is none, so that a negotiation can skip NVLink before offering it.
   */
  public synchronized void checkDriver() throws ProbeFailure {
    driver();
  }

  private CudaDriver driver() throws ProbeFailure {
    if (cuda == null) {
      try {
        // Kept once loaded; a failed load is retried next time, in case a driver is installed.
        cuda = CudaDriver.load(library);
      } catch (IllegalArgumentException e) {
        throw new ProbeFailure(FallbackReason.LIBRARY_MISSING,
            library + " not found: no CUDA driver on this node; NVLink probe skipped");
      } catch (CudaException e) {
        throw new ProbeFailure(FallbackReason.LIBRARY_MISSING, e.getMessage());
      }
    }
    return cuda;
  }

  /** What the probe thread hands back: {@link BoundedNativeCall} takes no checked exceptions. */
  private sealed interface Outcome {
    record Passed(ProbeResult result) implements Outcome {}

    record Failed(ProbeFailure failure) implements Outcome {}
  }

  private static Outcome session(CudaDriver cuda, int gpuA, int gpuB, ProbeSpec spec, long seed,
      long start) {
    try {
      return new Outcome.Passed(new PeerCopySession(cuda, gpuA, gpuB, spec, seed, start).run());
    } catch (ProbeFailure failure) {
      return new Outcome.Failed(failure);
    }
  }
}
