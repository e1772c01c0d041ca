package dev.meshd.fabric.xgmi;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.peercopy.PeerCopyStageTransport;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;

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
public final class XgmiStageTransport implements StageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "xgmi";

  private final PeerCopyStageTransport transport;

  public XgmiStageTransport(XgmiProbe probe) {
    this.transport = new PeerCopyStageTransport(GROUP, FabricClass.XGMI, "XGMI", probe);
  }

  @Override
  public String group() {
    return GROUP;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure {
    return transport.offer(link);
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    return transport.accept(peerOffer, link);
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure {
    return transport.probe(link, peerAnswer, spec);
  }
}
