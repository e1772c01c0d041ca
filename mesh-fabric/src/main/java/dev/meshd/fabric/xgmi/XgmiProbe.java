package dev.meshd.fabric.xgmi;

import dev.meshd.fabric.peercopy.PeerCopyProbe;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.xgmi.internal.HipPeerCopy;

/**
 * The XGMI payload probe: proves that two AMD GPUs of this host move bytes to each other over
 * Infinity Fabric, and measures how fast, through the HIP runtime ({@code libamdhip64.so})
 * called in-process with the FFM API. The probe itself is the shared {@link PeerCopyProbe}; this
 * class binds it to HIP.
 *
 * <p>{@link #probe} checks {@code hipDeviceCanAccessPeer} both ways and that {@code
 * hipExtGetLinkTypeAndHopCount} reports an XGMI link between the two, enables peer access
 * ({@code hipSetDevice}, {@code hipDeviceEnablePeerAccess}), then copies payloads host → GPU A
 * ({@code hipMemcpy}), A → B with {@code hipMemcpyPeer} (timed, with {@code
 * hipDeviceSynchronize}), B → host, and verifies each by CRC32C; the round trip is the median of
 * small A → B → A peer copies. GPUs are named by their index in PCI bus order (as rocm-smi and
 * the topology name them, for GPUs that HIP and rocm-smi both see).
 *
 * <p>Without ROCm the probe fails at once with {@link FallbackReason#LIBRARY_MISSING}
 * ("libamdhip64.so not found: no HIP runtime (ROCm) on this node; XGMI probe skipped"); with the
 * runtime but no GPU, {@link FallbackReason#NO_GPU}; GPUs that cannot be peers, or peers over
 * PCIe rather than XGMI, {@link FallbackReason#NO_PEER_ACCESS}; corrupted bytes, {@link
 * FallbackReason#CHECKSUM_MISMATCH}; a runtime that does not return by the deadline, {@link
 * FallbackReason#PROBE_TIMEOUT}. Thread-safe; probes run one at a time.
 */
public final class XgmiProbe extends PeerCopyProbe {

  /**
   * The HIP runtime's library name as ROCm installs it (a link to {@code libamdhip64.so.6} on
   * ROCm 6). The loader must find it: ROCm's {@code lib} directory ({@code /opt/rocm/lib}) on
   * the loader's path, or a full path given instead.
   */
  public static final String DEFAULT_LIBRARY = "libamdhip64.so";

  /** The HIP runtime as the shared probe sees it. */
  static final PeerCopyProbe.Api HIP = new PeerCopyProbe.Api("HIP", "meshd-xgmi-probe",
      "no HIP runtime (ROCm) on this node; XGMI probe skipped", HipPeerCopy::load);

  /**
   * @param library a name the dynamic loader searches for, normally {@link #DEFAULT_LIBRARY}, or
   *     a path containing {@code /} (tests load a fake runtime this way)
   */
  public XgmiProbe(String library) {
    super(HIP, library);
  }

  /** A probe of this node's HIP runtime. */
  public static XgmiProbe system() {
    return new XgmiProbe(DEFAULT_LIBRARY);
  }
}
