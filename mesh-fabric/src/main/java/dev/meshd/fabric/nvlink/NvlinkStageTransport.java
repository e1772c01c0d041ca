package dev.meshd.fabric.nvlink;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.peercopy.PeerCopyStageTransport;

/**
 * The {@code nvlink} group of {@code fabric.order} as a {@link StageTransport}: the shared
 * same-host transport ({@link PeerCopyStageTransport}) over the {@link NvlinkProbe}. The
 * negotiator only asks it for two stages on the same host; both ends describe their stage's first
 * GPU index (PCI bus order), and the upstream agent probes from its GPU to the downstream's
 * through the CUDA driver.
 *
 * <p>A node without the CUDA driver fails {@link #offer} and {@link #accept} with {@code
 * library_missing} ("libcuda.so.1 not found: no CUDA driver on this node; NVLink probe
 * skipped"), a stage without a GPU index with {@code no_gpu}: reasons, and the next transport is
 * tried. Thread-safe (the probe runs one at a time).
 */
public final class NvlinkStageTransport extends PeerCopyStageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "nvlink";

  public NvlinkStageTransport(NvlinkProbe probe) {
    super(GROUP, FabricClass.NVLINK, "NVLink", probe);
  }
}
