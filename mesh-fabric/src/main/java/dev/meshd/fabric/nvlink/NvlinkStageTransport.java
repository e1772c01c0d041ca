package dev.meshd.fabric.nvlink;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.util.Objects;

/**
 * The {@code nvlink} group of {@code fabric.order} as a {@link StageTransport}. The negotiator
 * only asks it for two stages on the same host; both ends describe their stage's first GPU index
 * (PCI bus order) as the endpoint data, and the upstream agent, which can reach every GPU of its
 * host, runs the {@link NvlinkProbe} from its GPU to the downstream's through the CUDA driver.
 *
 * <p>A node without the CUDA driver fails {@link #offer} and {@link #accept} with {@code
 * library_missing} ("libcuda.so.1 not found: no CUDA driver on this node; NVLink probe
 * skipped"), a stage without a GPU index with {@code no_gpu}: reasons, and the next transport is
 * tried. Thread-safe (the probe runs one at a time).
 */
public final class NvlinkStageTransport implements StageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "nvlink";

  private final NvlinkProbe probe;

  public NvlinkStageTransport(NvlinkProbe probe) {
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  @Override
  public String group() {
    return GROUP;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure {
    return endpoint(link.local());
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    gpu(peerOffer);
    return Acceptance.withoutResponder(endpoint(link.local()));
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure {
    int from = firstGpu(link.local());
    int to = gpu(peerAnswer);
    if (from == to) {
      throw new ProbeFailure(FallbackReason.NO_PEER_ACCESS, "both stages are on GPU " + from
          + " of " + link.local().hostId() + ": no link between GPUs to prove");
    }
    return probe.probe(from, to, spec);
  }

  private TransportEndpoint endpoint(LinkEnd end) throws ProbeFailure {
    int gpu = firstGpu(end);
    probe.checkDriver();
    return new TransportEndpoint(FabricClass.NVLINK, EndpointData.ofUtf8(Integer.toString(gpu)));
  }

  private static int firstGpu(LinkEnd end) throws ProbeFailure {
    if (end.gpus().isEmpty()) {
      throw new ProbeFailure(FallbackReason.NO_GPU,
          "the stage on " + end.nodeId() + " names no GPU");
    }
    return end.gpus().getFirst();
  }

  private static int gpu(TransportEndpoint endpoint) throws ProbeFailure {
    String text = endpoint.data().toUtf8();
    try {
      int gpu = Integer.parseInt(text);
      if (gpu >= 0) {
        return gpu;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
        "NVLink endpoint data \"" + text + "\" (expected: a GPU index)");
  }
}
