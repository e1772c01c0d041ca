package dev.meshd.fabric.rdma;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.libfabric.LibfabricDiscovery;
import dev.meshd.fabric.libfabric.LibfabricProbeResponder;
import dev.meshd.fabric.libfabric.LibfabricTcpProbe;
import dev.meshd.fabric.libfabric.LinkLayerLookup;
import dev.meshd.fabric.libfabric.internal.FiInfoEntry;
import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code rdma} group of {@code fabric.order} as a {@link StageTransport}: libfabric over an
 * RDMA provider both ends have, with the bulk of the payload probe written by RMA.
 *
 * <ol>
 *   <li>{@link #offer}: the providers of the config this node can open an RMA endpoint with
 *       (name, fabric, domain), or {@code library_missing}/{@code provider_missing}.
 *   <li>{@link #accept}: the first provider of this node's own order that the offer also
 *       names ({@code provider_missing} when none: the two ends share no provider); a
 *       responder opened with it registers a region for remote writes. The answer carries the
 *       provider, the endpoint's address, and the region's remote key and address.
 *   <li>{@link #probe}: pings, then each bulk message {@code fi_write}n into a slot of that
 *       region and announced by a small send; the responder checks each slot's CRC32C.
 * </ol>
 *
 * Failures keep the libfabric probe's reasons ({@code address_insert_failed},
 * {@code probe_timeout}, {@code checksum_mismatch}, {@code memory_registration_failed},
 * {@code transport_error}). The link's class is the chosen provider's ({@code RDMA_IB},
 * {@code RDMA_ROCE}, {@code EFA}, {@code CXI}; a non-RDMA provider named explicitly, as the
 * tests do with {@code tcp}, gives {@code LIBFABRIC_TCP}).
 *
 * <p>Thread-safe: every call opens what it needs; the provider check is cached once it found
 * a provider (a failure is not, so a NIC or library that appears later is found).
 */
public final class RdmaStageTransport implements StageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "rdma";
  /** Beyond the probe's deadline, how long its thread gets to notice it and close all. */
  static final Duration CLEANUP_GRACE = Duration.ofSeconds(1);

  private final RdmaTransportConfig config;
  private final LinkLayerLookup linkLayers;
  private final ProviderCheck check;
  private volatile ProviderCheck.Result known;

  public RdmaStageTransport(RdmaTransportConfig config, LinkLayerLookup linkLayers) {
    this.config = Objects.requireNonNull(config, "config");
    this.linkLayers = Objects.requireNonNull(linkLayers, "linkLayers");
    this.check = new ProviderCheck(config);
  }

  @Override
  public String group() {
    return GROUP;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) throws ProbeFailure {
    List<OfferedProvider> mine = available();
    return new TransportEndpoint(fabricClass(mine.getFirst()), RdmaEndpointData.offer(mine));
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    List<OfferedProvider> theirs = RdmaEndpointData.readOffer(peerOffer.data());
    List<OfferedProvider> mine = available();
    OfferedProvider chosen = choose(mine, theirs).orElseThrow(() -> new ProbeFailure(
        FallbackReason.PROVIDER_MISSING, "no RDMA provider both ends have: "
            + link.peer().nodeId() + " offers " + names(theirs) + ", "
            + link.local().nodeId() + " has " + names(mine)));
    LibfabricProbeResponder responder =
        LibfabricProbeResponder.startRma(config.endpoints().withProvider(chosen.asked()));
    try {
      OfferedProvider answered = new OfferedProvider(chosen.asked(), responder.provider(),
          responder.fabric(), responder.domain());
      RemoteTarget target = responder.target().orElseThrow();
      return Acceptance.of(new TransportEndpoint(fabricClass(answered), RdmaEndpointData.answer(
          new RdmaEndpointData.Answer(answered, responder.address(), target))), responder::close);
    } catch (RuntimeException e) {
      responder.close();
      throw e;
    }
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure {
    RdmaEndpointData.Answer answer = RdmaEndpointData.readAnswer(peerAnswer.data());
    String asked = answer.provider().asked();
    if (!config.providers().contains(asked)) {
      throw new ProbeFailure(FallbackReason.PROVIDER_MISSING, link.peer().nodeId()
          + " chose " + asked + ", which this node does not use (" + config.providers() + ")");
    }
    LibfabricTcpProbe probe = new LibfabricTcpProbe(config.endpoints().withProvider(asked));
    // The probe checks its deadline between operations; a native call that hangs is cut here.
    BoundedNativeCall call = new BoundedNativeCall("libfabric " + asked, "meshd-rdma-probe");
    return switch (call.call(() -> attempt(probe, answer, spec),
        spec.deadline().plus(CLEANUP_GRACE))) {
      case BoundedNativeCall.Outcome.Done<Attempt>(Attempt.Passed(ProbeResult result)) -> result;
      case BoundedNativeCall.Outcome.Done<Attempt>(Attempt.Failed(ProbeFailure failure)) ->
          throw failure;
      case BoundedNativeCall.Outcome.Failed<Attempt>(String message) ->
          throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, message);
    };
  }

  /**
   * The provider both ends use: the first of {@code mine} (this end's order) that {@code
   * theirs} names too, compared by the name asked of {@code fi_getinfo}.
   */
  static Optional<OfferedProvider> choose(List<OfferedProvider> mine,
      List<OfferedProvider> theirs) {
    return mine.stream()
        .filter(own -> theirs.stream().anyMatch(peer -> peer.asked().equals(own.asked())))
        .findFirst();
  }

  private List<OfferedProvider> available() throws ProbeFailure {
    ProviderCheck.Result result = known;
    if (result == null) {
      result = check.run();
      if (result.available().isEmpty()) {
        throw new ProbeFailure(FallbackReason.PROVIDER_MISSING,
            "no RDMA provider on this node: " + String.join("; ", result.reasons()));
      }
      known = result;
    }
    return result.available();
  }

  private FabricClass fabricClass(OfferedProvider provider) {
    return LibfabricDiscovery.ProviderClasses.classify(provider.asked(),
        new FiInfoEntry(provider.provider(), provider.fabric(), provider.domain(), "FI_EP_RDM",
            0, 0), linkLayers).fabricClass();
  }

  private static List<String> names(List<OfferedProvider> providers) {
    return providers.stream().map(OfferedProvider::asked).toList();
  }

  /** What the probe thread hands back: {@link BoundedNativeCall} takes no checked exceptions. */
  private sealed interface Attempt {
    record Passed(ProbeResult result) implements Attempt {}

    record Failed(ProbeFailure failure) implements Attempt {}
  }

  private static Attempt attempt(LibfabricTcpProbe probe, RdmaEndpointData.Answer answer,
      ProbeSpec spec) {
    try {
      return new Attempt.Passed(probe.probeRma(answer.address(), answer.target(), spec));
    } catch (ProbeFailure failure) {
      return new Attempt.Failed(failure);
    }
  }

  @Override
  public String toString() {
    return GROUP + " (" + String.join(", ", config.providers()) + " on "
        + config.endpoints().node() + ")";
  }
}
