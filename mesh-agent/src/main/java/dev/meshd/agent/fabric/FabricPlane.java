package dev.meshd.agent.fabric;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationException;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.RespondedLink;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.TransportOrder;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.NegotiateRequest;
import dev.meshd.proto.v1.NegotiateResponse;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage-transport negotiation on this agent: the {@link TransportNegotiator} with this node's
 * transports, leading negotiations with peers ({@link #probe}: this agent is the upstream end and
 * dials the peer's {@code FabricService.Negotiate} with the agent credential) and answering them
 * ({@link #respond}: the downstream end of a stream a peer opened), the metrics, and the latest
 * link negotiated with each peer in either role.
 *
 * <p>Each negotiation runs on a virtual thread of its own, tracked so that {@link #close()} stops
 * them. Thread-safe.
 */
public final class FabricPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FabricPlane.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  /** Latest links kept per role: one per peer, far more peers than any node links to. */
  private static final int HISTORY = 256;
  /**
   * Negotiations one agent answers at once: far above the stage links one node hosts, low
   * enough that a misbehaving peer cannot hold every responder and thread.
   */
  static final int MAX_ANSWERING = 64;
  /** Kept back from a caller's deadline, so that the answer still reaches it. */
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

  private final Supplier<CapabilityRecord> self;
  private final FleetView fleet;
  private final TransportNegotiator negotiator;
  private final Function<String, Channel> channels;
  private final Optional<String> agentToken;
  private final FabricMetrics metrics;
  private final String noTransportReason;
  private final Sessions sessions = new Sessions();
  private final Map<String, NegotiatedLink> asUpstream = history(); // guarded by itself
  private final Map<String, NegotiatedLink> asDownstream = history(); // guarded by itself

  private FabricPlane(Builder b) {
    this.self = b.self;
    this.fleet = b.fleet;
    this.negotiator = b.negotiator;
    this.channels = b.channels;
    this.agentToken = b.agentToken;
    this.metrics = b.metrics;
    this.noTransportReason = b.noTransportReason;
  }

  public static Builder builder() {
    return new Builder();
  }

  public TransportNegotiator negotiator() {
    return negotiator;
  }

  public FabricMetrics metrics() {
    return metrics;
  }

  /** The latest link this agent negotiated as the upstream end with {@code peer}. */
  public Optional<NegotiatedLink> lastAsUpstream(String peer) {
    synchronized (asUpstream) {
      return Optional.ofNullable(asUpstream.get(peer));
    }
  }

  /** The latest link this agent negotiated as the downstream end, led by {@code peer}. */
  public Optional<NegotiatedLink> lastAsDownstream(String peer) {
    synchronized (asDownstream) {
      return Optional.ofNullable(asDownstream.get(peer));
    }
  }

  /** Negotiations running on this agent now, in either role. */
  public int runningSessions() {
    return sessions.running();
  }

  /** What a probe found: both ends and the link they agreed on. */
  public record ProbeReport(LinkEnd upstream, LinkEnd downstream, NegotiatedLink link) {}

  /**
   * Checks a probe of {@code peerNode} before anything is sent, and returns the peer's end.
   *
   * @throws FabricRefusal naming why this agent will not try
   */
  LinkEnd checkProbe(String peerNode, Optional<String> forced) throws FabricRefusal {
    CapabilityRecord me = self.get();
    if (peerNode.isBlank()) {
      throw new FabricRefusal(FabricRefusal.Kind.INVALID, "peer_node: empty (expected: a node id)");
    }
    if (peerNode.equals(me.nodeId())) {
      throw new FabricRefusal(FabricRefusal.Kind.INVALID, "peer_node: " + peerNode
          + " is the answering agent (expected: another node; ask that node's agent to probe "
          + "this one, or this one to probe another)");
    }
    if (forced.isPresent() && !TransportOrder.isKnown(forced.get())) {
      throw new FabricRefusal(FabricRefusal.Kind.INVALID, "transport: " + forced.get()
          + " (expected: nvlink, xgmi, rdma, libfabric-tcp or quic)");
    }
    if (!negotiator.hasTransports()) {
      throw new FabricRefusal(FabricRefusal.Kind.NO_TRANSPORT, noTransport(me.nodeId()));
    }
    if (forced.isPresent() && !negotiator.availableGroups().contains(forced.get())) {
      throw new FabricRefusal(FabricRefusal.Kind.NO_TRANSPORT, "transport: " + forced.get()
          + " is not available on " + me.nodeId() + " (available: "
          + String.join(", ", negotiator.availableGroups()) + ")");
    }
    FleetMember member = fleet.member(peerNode).orElseThrow(() -> new FabricRefusal(
        FabricRefusal.Kind.UNKNOWN_PEER, "node \"" + peerNode + "\" is not a fleet member"));
    if (member.state() == MemberState.DEAD || member.state() == MemberState.LEFT) {
      throw new FabricRefusal(FabricRefusal.Kind.PEER_UNAVAILABLE, "node " + peerNode + " is "
          + member.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (member.record().grpcAddress().isBlank()) {
      throw new FabricRefusal(FabricRefusal.Kind.PEER_UNAVAILABLE,
          "node " + peerNode + " publishes no gRPC address");
    }
    return end(member.record());
  }

  /**
   * Negotiates with {@code peer} now, as the upstream end, on a session thread; {@code done}
   * receives the report (the link is FAILED with the reason when the peer or every transport
   * failed). Counts the negotiation in the metrics.
   *
   * @param callDeadline the caller's deadline, which the negotiation fits within
   * @return cancels the negotiation (the caller went away); {@code failed} then receives an
   *     {@link InterruptedException}
   */
  Runnable probe(LinkEnd peer, Optional<String> forced, Optional<Deadline> callDeadline,
      java.util.function.Consumer<ProbeReport> done, java.util.function.Consumer<Throwable> failed) {
    LinkEnd local = end(self.get());
    NegotiationSettings settings = fitted(negotiator.settings(), callDeadline);
    String address = fleet.member(peer.nodeId()).map(m -> m.record().grpcAddress()).orElse("");
    return sessions.start("fabric-probe-" + peer.nodeId(), () -> {
      try {
        NegotiatedLink link = lead(local, peer, address, forced, settings, "probe");
        done.accept(new ProbeReport(local, peer, link));
      } catch (InterruptedException e) {
        failed.accept(e);
      } catch (RuntimeException e) {
        LOG.warn("fabric: probe of {} failed: {}", peer.nodeId(), e.toString());
        failed.accept(e);
      }
    });
  }

  /**
   * Negotiates one placement's stage link as its upstream end, the stages' GPUs as the two ends'
   * GPUs, on a session thread. Completes with the status to store (FAILED with the reason when
   * every transport or the peer failed), or exceptionally when no negotiation could run.
   *
   * @param label names the link in logs and in the negotiation ({@code placement/0->1})
   */
  public java.util.concurrent.CompletableFuture<dev.meshd.core.policy.LinkStatus> negotiateLink(
      String label, List<Integer> localGpus, FleetMember downstream, List<Integer> peerGpus) {
    var result = new java.util.concurrent.CompletableFuture<dev.meshd.core.policy.LinkStatus>();
    if (!negotiator.hasTransports()) {
      result.completeExceptionally(new IllegalStateException(noTransport(self.get().nodeId())));
      return result;
    }
    CapabilityRecord me = self.get();
    LinkEnd local = new LinkEnd(me.nodeId(), me.hostId(), localGpus);
    CapabilityRecord peerRecord = downstream.record();
    LinkEnd peer = new LinkEnd(peerRecord.nodeId(), peerRecord.hostId(), peerGpus);
    Runnable cancel = sessions.start("fabric-link-" + peer.nodeId(), () -> {
      try {
        result.complete(lead(local, peer, peerRecord.grpcAddress(), Optional.empty(),
            negotiator.settings(), label).toLinkStatus());
      } catch (InterruptedException e) {
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    result.whenComplete((status, failure) -> {
      if (failure instanceof java.util.concurrent.TimeoutException) {
        cancel.run(); // the reconciler gave up waiting: stop the session too
      }
    });
    return result;
  }

  /**
   * Answers a negotiation a peer opened: returns the observer for its messages, and runs the
   * downstream end on a session thread.
   */
  StreamObserver<NegotiateRequest> respond(StreamObserver<NegotiateResponse> responses) {
    var channel = GrpcPeerChannel.downstream("the upstream agent", responses);
    LinkEnd local = end(self.get());
    sessions.start("fabric-respond", () -> {
      try {
        RespondedLink responded = negotiator.respond(channel, local);
        remember(asDownstream, responded.upstream().nodeId(), responded.link());
        LOG.info("fabric: {} -> {} (answered): {}", responded.upstream().nodeId(),
            local.nodeId(), responded.link().summary());
      } catch (NegotiationException e) {
        LOG.info("fabric: refused a negotiation: {}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return channel.inbound();
  }

  /** Why this agent cannot negotiate at all, naming its fabric.order. */
  String noTransport(String nodeId) {
    return nodeId + " has no stage transport: " + noTransportReason;
  }

  boolean hasTransports() {
    return negotiator.hasTransports();
  }

  @Override
  public void close() {
    sessions.close();
  }

  private NegotiatedLink lead(LinkEnd local, LinkEnd peer, String address,
      Optional<String> forced, NegotiationSettings settings, String label)
      throws InterruptedException {
    var channel = GrpcPeerChannel.upstream(peer.nodeId());
    Metadata headers = new Metadata();
    agentToken.ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
    // The call ends by itself if both ends somehow outlive their own deadlines.
    Duration callBudget = settings.overallDeadline().plus(settings.messageTimeout()
        .multipliedBy(2));
    StreamObserver<NegotiateRequest> requests = FabricServiceGrpc.newStub(channels.apply(address))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(callBudget.toMillis(), TimeUnit.MILLISECONDS)
        .negotiate(channel.inbound());
    channel.connect(requests);
    NegotiatedLink link;
    try {
      link = negotiator.negotiate(channel, new LinkContext(local, peer, label), forced, settings);
    } catch (RuntimeException e) {
      channel.abort(local.nodeId() + " failed: " + e);
      throw e;
    }
    metrics.recordNegotiation(link);
    remember(asUpstream, peer.nodeId(), link);
    LOG.info("fabric: {} -> {} ({}): {}", local.nodeId(), peer.nodeId(), label, link.summary());
    return link;
  }

  /** The settings with an overall deadline that ends before the caller's does. */
  static NegotiationSettings fitted(NegotiationSettings settings, Optional<Deadline> deadline) {
    if (deadline.isEmpty()) {
      return settings;
    }
    long leftMillis = deadline.get().timeRemaining(TimeUnit.MILLISECONDS)
        - ANSWER_MARGIN.toMillis();
    Duration left = Duration.ofMillis(Math.max(1, leftMillis));
    return left.compareTo(settings.overallDeadline()) < 0
        ? settings.withOverallDeadline(left)
        : settings;
  }

  private static LinkEnd end(CapabilityRecord record) {
    List<Integer> gpus = new ArrayList<>();
    for (GpuInfo gpu : record.gpus()) {
      gpus.add(gpu.index());
    }
    return new LinkEnd(record.nodeId(), record.hostId(), gpus);
  }

  private static void remember(Map<String, NegotiatedLink> history, String peer,
      NegotiatedLink link) {
    synchronized (history) {
      history.remove(peer);
      history.put(peer, link);
    }
  }

  private static Map<String, NegotiatedLink> history() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, NegotiatedLink> eldest) {
        return size() > HISTORY;
      }
    };
  }

  /** Builds a {@link FabricPlane}; {@link #build()} names what is missing. */
  public static final class Builder {
    private Supplier<CapabilityRecord> self;
    private FleetView fleet;
    private TransportNegotiator negotiator;
    private Function<String, Channel> channels;
    private Optional<String> agentToken = Optional.empty();
    private FabricMetrics metrics;
    private String noTransportReason = "none configured";

    private Builder() {}

    /** This agent's current record (node id, host id, GPUs). Required. */
    public Builder self(Supplier<CapabilityRecord> value) {
      this.self = Objects.requireNonNull(value, "self");
      return this;
    }

    /** Where peers are looked up. Required. */
    public Builder fleet(FleetView value) {
      this.fleet = Objects.requireNonNull(value, "fleet");
      return this;
    }

    /** Required. */
    public Builder negotiator(TransportNegotiator value) {
      this.negotiator = Objects.requireNonNull(value, "negotiator");
      return this;
    }

    /** A gRPC channel to a peer's {@code host:port}. Required. */
    public Builder channels(Function<String, Channel> value) {
      this.channels = Objects.requireNonNull(value, "channels");
      return this;
    }

    /** The agent credential for calls to peers; empty when the mesh runs without tokens. */
    public Builder agentToken(Optional<String> value) {
      this.agentToken = Objects.requireNonNull(value, "agentToken");
      return this;
    }

    /** Required. */
    public Builder metrics(FabricMetrics value) {
      this.metrics = Objects.requireNonNull(value, "metrics");
      return this;
    }

    /** Why this agent has no transport, when it has none (said in FAILED_PRECONDITION). */
    public Builder noTransportReason(String value) {
      this.noTransportReason = Objects.requireNonNull(value, "noTransportReason");
      return this;
    }

    public FabricPlane build() {
      List<String> missing = new ArrayList<>();
      if (self == null) {
        missing.add("self");
      }
      if (fleet == null) {
        missing.add("fleet");
      }
      if (negotiator == null) {
        missing.add("negotiator");
      }
      if (channels == null) {
        missing.add("channels");
      }
      if (metrics == null) {
        missing.add("metrics");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("FabricPlane: missing " + missing);
      }
      return new FabricPlane(this);
    }
  }
}
