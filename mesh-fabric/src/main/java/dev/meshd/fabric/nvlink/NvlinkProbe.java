package dev.meshd.fabric.nvlink;

import dev.meshd.fabric.nvlink.internal.CudaPeerCopy;
import dev.meshd.fabric.peercopy.PeerCopyProbe;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeSpec;

/**
 * The NVLink payload probe: proves that two GPUs of this host move bytes to each other as peers,
 * and measures how fast, through the CUDA driver API ({@code libcuda.so.1}) called in-process
 * with the FFM API. The probe itself is the shared {@link PeerCopyProbe}; this class binds it to
 * the CUDA driver.
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
 * FallbackReason#CHECKSUM_MISMATCH}. AMD's XGMI is the same probe through HIP ({@code
 * dev.meshd.fabric.xgmi.XgmiProbe}).
 *
 * <p>Every native call is bounded: the caller waits at most the deadline plus {@link
 * #CLEANUP_GRACE}, and while a probe stuck in the driver has not returned, later ones fail at
 * once with {@link FallbackReason#PROBE_TIMEOUT}. Thread-safe; probes run one at a time.
 */
public final class NvlinkProbe extends PeerCopyProbe {

  /** The CUDA driver's soname, what the CUDA runtime itself loads. */
  public static final String DEFAULT_LIBRARY = "libcuda.so.1";

  /** The CUDA driver as the shared probe sees it. */
  static final PeerCopyProbe.Api CUDA = new PeerCopyProbe.Api("CUDA", "meshd-nvlink-probe",
      "no CUDA driver on this node; NVLink probe skipped", CudaPeerCopy::load);

  /**
   * @param library a name the dynamic loader searches for, normally {@link #DEFAULT_LIBRARY}, or
   *     a path containing {@code /} (tests load a fake driver this way)
   */
  public NvlinkProbe(String library) {
    super(CUDA, library);
  }

  /** A probe of this node's CUDA driver. */
  public static NvlinkProbe system() {
    return new NvlinkProbe(DEFAULT_LIBRARY);
  }
}
