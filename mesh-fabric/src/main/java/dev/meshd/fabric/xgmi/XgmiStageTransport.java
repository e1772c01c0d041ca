package dev.meshd.fabric.xgmi;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.peercopy.PeerCopyStageTransport;

/**
 * The {@code xgmi} group of {@code fabric.order} as a {@link StageTransport}: the shared
 * same-host transport ({@link PeerCopyStageTransport}) over the {@link XgmiProbe}. The
 * negotiator only asks it for two stages on the same host; both ends describe their stage's first
 * GPU index (PCI bus order), and the upstream agent probes from its GPU to the downstream's
 * through the HIP runtime.
 *
 * <p>A node without ROCm fails {@link #offer} and {@link #accept} with {@code library_missing}
 * ("libamdhip64.so not found: no HIP runtime (ROCm) on this node; XGMI probe skipped"), a stage
 * without a GPU index with {@code no_gpu}: reasons, and the next transport is tried. Thread-safe
 * (the probe runs one at a time).
 */
public final class XgmiStageTransport extends PeerCopyStageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "xgmi";

  public XgmiStageTransport(XgmiProbe probe) {
    super(GROUP, FabricClass.XGMI, "XGMI", probe);
  }
}
