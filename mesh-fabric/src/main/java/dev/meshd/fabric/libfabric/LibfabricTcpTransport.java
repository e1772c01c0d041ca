package dev.meshd.fabric.libfabric;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.util.Objects;

/**
 * The {@code libfabric-tcp} group of {@code fabric.order} as a {@link StageTransport}: libfabric
 * over its {@code tcp} provider ({@code FI_EP_RDM}, {@code tcp;ofi_rxm} in 1.17), through the
 * FFM binding. The upstream offers the provider's name; the downstream accepts by opening a
 * {@link LibfabricProbeResponder} for this negotiation, whose {@code fi_getname} bytes are the
 * answer's endpoint data and which is closed when the negotiation ends; the upstream's probe
 * inserts those bytes into its address vector and runs the payload probe.
 *
 * <p>A host without {@code libfabric.so.1} or without the provider fails {@link #offer} or {@link
 * #accept} with {@code library_missing} or {@code provider_missing}: a reason, and the next
 * transport is tried. Thread-safe: every call opens what it needs.
 */
public final class LibfabricTcpTransport implements StageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "libfabric-tcp";

  private final LibfabricTransportConfig config;
  /** The offer once an endpoint opened: opening one costs ~0.1 s, and what it proved stays. */
  private volatile TransportEndpoint offered;

  public LibfabricTcpTransport(LibfabricTransportConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public String group() {
    return GROUP;
  }

  /**
   * Offers the provider; fails when this host cannot open an endpoint with it at all. The first
   * success is remembered (a failure is not, so a library installed later is found).
   */
  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure {
    TransportEndpoint known = offered;
    if (known != null) {
      return known;
    }
    try (LibfabricProbeResponder check = LibfabricProbeResponder.start(config)) {
      known = new TransportEndpoint(FabricClass.LIBFABRIC_TCP,
          EndpointData.ofUtf8(check.provider()));
    }
    offered = known;
    return known;
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    LibfabricProbeResponder responder = LibfabricProbeResponder.start(config);
    return Acceptance.of(new TransportEndpoint(FabricClass.LIBFABRIC_TCP,
        EndpointData.of(responder.address())), responder::close);
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure {
    return new LibfabricTcpProbe(config).probe(peerAnswer.data().toByteArray(), spec);
  }

  @Override
  public String toString() {
    return GROUP + " (" + config.provider() + " on " + config.node() + ")";
  }
}
