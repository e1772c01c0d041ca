package dev.meshd.fabric.peercopy;

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
 * A same-host GPU link ({@code nvlink}, {@code xgmi}) as a {@link StageTransport}. The negotiator
 * only asks it for two stages on the same host; both ends describe their stage's first GPU index
 * (PCI bus order) as the endpoint data, and the upstream agent, which can reach every GPU of its
 * host, runs the {@link GpuPairProbe} from its GPU to the downstream's.
 *
 * <p>A node without the vendor library fails {@link #offer} and {@link #accept} with {@code
 * library_missing}, a stage without a GPU index with {@code no_gpu}: reasons, and the next
 * transport is tried. Thread-safe if the probe is.
 */
public class PeerCopyStageTransport implements StageTransport {

  private final String group;
  private final FabricClass fabricClass;
  private final String linkName;
  private final GpuPairProbe probe;

  /**
   * @param group the {@code fabric.order} group, e.g. {@code xgmi}
   * @param fabricClass the class of the links it makes
   * @param linkName how reasons name the link, e.g. {@code XGMI}
   */
  public PeerCopyStageTransport(String group, FabricClass fabricClass, String linkName,
      GpuPairProbe probe) {
    this.group = Objects.requireNonNull(group, "group");
    this.fabricClass = Objects.requireNonNull(fabricClass, "fabricClass");
    this.linkName = Objects.requireNonNull(linkName, "linkName");
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  @Override
  public String group() {
    return group;
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
    return new TransportEndpoint(fabricClass, EndpointData.ofUtf8(Integer.toString(gpu)));
  }

  private static int firstGpu(LinkEnd end) throws ProbeFailure {
    if (end.gpus().isEmpty()) {
      throw new ProbeFailure(FallbackReason.NO_GPU,
          "the stage on " + end.nodeId() + " names no GPU");
    }
    return end.gpus().getFirst();
  }

  private int gpu(TransportEndpoint endpoint) throws ProbeFailure {
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
        linkName + " endpoint data \"" + text + "\" (expected: a GPU index)");
  }

  @Override
  public String toString() {
    return "PeerCopyStageTransport[" + group + ", " + probe + "]";
  }
}
