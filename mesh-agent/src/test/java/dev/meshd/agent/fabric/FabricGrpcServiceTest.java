package dev.meshd.agent.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshd.agent.store.StoreReader;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Listing;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Replica;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StoreSnapshot;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationSettings;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportNegotiator;
import dev.meshd.fabric.negotiate.testing.FakeStageTransport;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.proto.v1.FabricServiceGrpc;
import dev.meshd.proto.v1.ListLinksRequest;
import dev.meshd.proto.v1.ListLinksResponse;
import dev.meshd.proto.v1.PlacementLink;
import dev.meshd.proto.v1.ProbeRequest;
import dev.meshd.proto.v1.ProbeResponse;
import dev.meshd.proto.v1.TryState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FabricService between agents served in-process: Probe leads a negotiation over the peer's
 * Negotiate stream, with fake transports, and both agents end with the same link.
 */
class FabricGrpcServiceTest {

  static final Instant NOW = Instant.parse("2025-11-22T08:00:00Z");
  static final NegotiationSettings SETTINGS = new NegotiationSettings(
      new ProbeSpec(2, 1024, 4, Duration.ofMillis(300)), Duration.ofMillis(300),
      Duration.ofSeconds(2), Duration.ofSeconds(10));

  private final Fleet fleet = new Fleet();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  /** One agent: its plane, its in-process server, its registry. */
  record Node(String id, FabricPlane plane, MeterRegistry registry,
      FabricServiceGrpc.FabricServiceBlockingStub stub) {}

  Node node(String id, String host, NegotiationSettings settings, StageTransport... transports)
      throws Exception {
    return node(id, host, settings, StoreReader.fixed(StoreSnapshot.EMPTY), transports);
  }

  Node node(String id, String host, NegotiationSettings settings, StoreReader store,
      StageTransport... transports) throws Exception {
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id, host,
        "z1", "r1", Map.of(), Set.of("gpu"), "test", 1, "inproc-" + id, "", "",
        List.of(new GpuInfo(0, "GPU-" + id, "H100-80GB", 80_000_000_000L, 0, 0, "", true,
            GpuSource.SIMULATED)), List.of());
    fleet.put(record, MemberState.ALIVE);
    MeterRegistry registry = new SimpleMeterRegistry();
    FabricPlane plane = FabricPlane.builder()
        .self(() -> record)
        .fleet(fleet)
        .negotiator(TransportNegotiator.builder()
            .order(List.of("nvlink", "xgmi", "rdma", "libfabric-tcp", "quic"))
            .transports(List.of(transports))
            .settings(settings)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build())
        .channels(address -> channels.computeIfAbsent(address,
            a -> InProcessChannelBuilder.forName(a).build()))
        .metrics(new FabricMetrics(registry))
        .noTransportReason("no transport in this test")
        .build();
    Server server = InProcessServerBuilder.forName("inproc-" + id)
        .addService(new FabricGrpcService(plane, store, id))
        .build()
        .start();
    toClose.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    toClose.add(plane);
    ManagedChannel client = InProcessChannelBuilder.forName("inproc-" + id).build();
    toClose.add(client::shutdownNow);
    return new Node(id, plane, registry, FabricServiceGrpc.newBlockingStub(client)
        .withDeadlineAfter(20, TimeUnit.SECONDS));
  }

  @Test
  void aProbeReportsEveryTryAndBothAgentsHoldTheSameLink() throws Exception {
    var hangingRdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB).hangProbe();
    Node node1 = node("node1", "host-a", SETTINGS, hangingRdma,
        FakeStageTransport.of("quic", FabricClass.QUIC));
    Node node2 = node("node2", "host-b", SETTINGS,
        FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    ProbeResponse response = node1.stub().probe(
        ProbeRequest.newBuilder().setPeerNode("node2").build());

    assertThat(response.getUpstream().getNodeId()).isEqualTo("node1");
    assertThat(response.getDownstream().getHostId()).isEqualTo("host-b");
    assertThat(response.getTriesList()).extracting(t -> t.getTransport() + " " + t.getState()
            + " " + t.getRefusal().getReason())
        .containsExactly(
            "nvlink TRY_STATE_SKIPPED not_offered",
            "xgmi TRY_STATE_SKIPPED not_offered",
            "rdma TRY_STATE_FAILED probe_timeout",
            "libfabric-tcp TRY_STATE_SKIPPED not_offered",
            "quic TRY_STATE_SUCCEEDED ");
    assertThat(response.getTries(4).getMeasured().getBytesPerSecond()).isEqualTo(1.25e9);
    assertThat(response.getLink().getTransport()).isEqualTo("quic");
    assertThat(response.getLink().getFabricClass()).isEqualTo("QUIC");
    assertThat(response.getLink().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_DEGRADED);
    assertThat(response.getLink().getFallbackReasonsList()).hasSize(4);

    NegotiatedLink led = node1.plane().lastAsUpstream("node2").orElseThrow();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(node2.plane().lastAsDownstream("node1")).contains(led));
    assertThat(led.state()).isEqualTo(LinkState.DEGRADED);
    assertThat(hangingRdma.probesEnded()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(node1.plane().runningSessions()).isZero();
      assertThat(node2.plane().runningSessions()).isZero();
    });
    // Counted once, by the end that led it.
    assertThat(node1.registry().get("meshd.fabric.negotiations")
        .tags("transport", "quic", "outcome", "degraded").counter().count()).isEqualTo(1);
    assertThat(node1.registry().get("meshd.fabric.fallbacks")
        .tags("transport", "rdma", "reason", "probe_timeout").counter().count()).isEqualTo(1);
    assertThat(node2.registry().find("meshd.fabric.negotiations").counters()).isEmpty();
  }

  @Test
  void anAgentWithoutTransportsRefusesToProbeAndSaysWhy() throws Exception {
    Node node1 = node("node1", "host-a", SETTINGS);
    node("node2", "host-b", SETTINGS, FakeStageTransport.of("quic", FabricClass.QUIC));

    Status status = failure(() -> node1.stub().probe(
        ProbeRequest.newBuilder().setPeerNode("node2").build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription())
        .isEqualTo("node1 has no stage transport: no transport in this test");
  }

  @Test
  void aPeerWithoutTransportsFailsTheLinkWithItsReason() throws Exception {
    Node node1 = node("node1", "host-a", SETTINGS, FakeStageTransport.of("quic", FabricClass.QUIC));
    node("node2", "host-b", SETTINGS);

    ProbeResponse response = node1.stub().probe(
        ProbeRequest.newBuilder().setPeerNode("node2").build());

    assertThat(response.getLink().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_FAILED);
    assertThat(response.getLink().getReason()).isEqualTo(
        "the negotiation with node2 ended while waiting for the answer: failed precondition: "
            + "node2 has no stage transport: no transport in this test");
    assertThat(node1.registry().get("meshd.fabric.negotiations")
        .tags("transport", "none", "outcome", "failed").counter().count()).isEqualTo(1);
  }

  @Test
  void badProbeRequestsAreRefusedByName() throws Exception {
    Node node1 = node("node1", "host-a", SETTINGS, FakeStageTransport.of("quic", FabricClass.QUIC));
    node("node2", "host-b", SETTINGS, FakeStageTransport.of("quic", FabricClass.QUIC));
    fleet.put(record("node3"), MemberState.DEAD);

    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("nodeX").build()))).satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(s.getDescription()).isEqualTo("node \"nodeX\" is not a fleet member");
    });
    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("node1").build())).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("").build())).getDescription())
        .isEqualTo("peer_node: empty (expected: a node id)");
    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("node2").setTransport("tcp").build()))).satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(s.getDescription())
          .isEqualTo("transport: tcp (expected: nvlink, xgmi, rdma, libfabric-tcp or quic)");
    });
    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("node2").setTransport("rdma").build()))).satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(s.getDescription())
          .isEqualTo("transport: rdma is not available on node1 (available: quic)");
    });
    assertThat(failure(() -> node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("node3").build()))).satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.getDescription()).isEqualTo("node node3 is dead");
    });
  }

  @Test
  void aForcedTransportIsTheOnlyTry() throws Exception {
    var rdma = FakeStageTransport.of("rdma", FabricClass.RDMA_IB);
    Node node1 = node("node1", "host-a", SETTINGS, rdma,
        FakeStageTransport.of("quic", FabricClass.QUIC));
    node("node2", "host-b", SETTINGS, FakeStageTransport.of("rdma", FabricClass.RDMA_IB),
        FakeStageTransport.of("quic", FabricClass.QUIC));

    ProbeResponse response = node1.stub().probe(ProbeRequest.newBuilder()
        .setPeerNode("node2").setTransport("quic").build());

    assertThat(response.getTriesList()).singleElement()
        .satisfies(t -> assertThat(t.getState()).isEqualTo(TryState.TRY_STATE_SUCCEEDED));
    assertThat(response.getLink().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_ESTABLISHED);
    assertThat(rdma.offers()).isZero();
  }

  @Test
  void stoppingTheLeadingAgentEndsItsProbeAndThePeersSession() throws Exception {
    NegotiationSettings slow = SETTINGS.withProbe(new ProbeSpec(2, 1024, 4,
        Duration.ofSeconds(30))).withOverallDeadline(Duration.ofSeconds(40));
    var hanging = FakeStageTransport.of("quic", FabricClass.QUIC).hangProbe();
    var peerQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    Node node1 = node("node1", "host-a", slow, hanging);
    Node node2 = node("node2", "host-b", slow, peerQuic);
    var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> failure(() ->
        node1.stub().probe(ProbeRequest.newBuilder().setPeerNode("node2").build())));
    await().atMost(Duration.ofSeconds(5)).until(() -> hanging.probes() == 1);

    node1.plane().close();

    Status status = call.get(5, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("node1 is stopping");
    assertThat(hanging.probesEnded()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(node2.plane().runningSessions()).isZero();
      assertThat(peerQuic.openResponders()).isZero();
    });
  }

  @Test
  void aCallerThatGoesAwayStopsItsProbe() throws Exception {
    NegotiationSettings slow = SETTINGS.withProbe(new ProbeSpec(2, 1024, 4,
        Duration.ofSeconds(30))).withOverallDeadline(Duration.ofSeconds(40));
    var hanging = FakeStageTransport.of("quic", FabricClass.QUIC).hangProbe();
    var peerQuic = FakeStageTransport.of("quic", FabricClass.QUIC);
    Node node1 = node("node1", "host-a", slow, hanging);
    Node node2 = node("node2", "host-b", slow, peerQuic);
    io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
    var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      io.grpc.Context previous = context.attach();
      try {
        return failure(() -> node1.stub().probe(
            ProbeRequest.newBuilder().setPeerNode("node2").build()));
      } finally {
        context.detach(previous);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> hanging.probes() == 1);

    context.cancel(null);

    assertThat(call.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(hanging.probesEnded()).isEqualTo(1);
      assertThat(node1.plane().runningSessions()).isZero();
      assertThat(node2.plane().runningSessions()).isZero();
      assertThat(peerQuic.openResponders()).isZero();
    });
  }

  @Test
  void listLinksShowsEveryStageLinkWithItsNodesSortedByPlacement() throws Exception {
    Placement pipeline = new Placement("llama-pp", "llama", List.of(),
        List.of(new Stage(0, 0, 15, "node1", List.of(0)), new Stage(1, 16, 31, "node2",
            List.of(0)), new Stage(2, 32, 47, "node3", List.of(1))),
        List.of(new dev.meshd.core.policy.StageLink(1, 2, null),
            new dev.meshd.core.policy.StageLink(0, 1, new LinkStatus("quic", "QUIC",
                1_200_000_000L, 85, LinkState.UP, "", List.of("rdma: provider_missing"),
                NOW))),
        Set.of(), 7);
    Placement replicas = Placement.ofReplicas("small", "m",
        List.of(new Replica("node1", List.of(0))));
    StoreSnapshot snapshot = StoreSnapshot.of(new Listing<>(List.of(), 9),
        new Listing<>(List.of(replicas, pipeline), 9), new Listing<>(List.of(), 9));
    Node node1 = node("node1", "host-a", SETTINGS, StoreReader.fixed(snapshot));

    ListLinksResponse all = node1.stub().listLinks(ListLinksRequest.getDefaultInstance());

    assertThat(all.getRevision()).isEqualTo(9);
    assertThat(all.getLinksList()).extracting(PlacementLink::getPlacement,
            PlacementLink::getFromStage, PlacementLink::getFromNode, PlacementLink::getToNode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("llama-pp", 0, "node1", "node2"),
            org.assertj.core.groups.Tuple.tuple("llama-pp", 1, "node2", "node3"));
    assertThat(all.getLinks(0).getStatus().getTransport()).isEqualTo("quic");
    assertThat(all.getLinks(1).getStatus().getState())
        .isEqualTo(dev.meshd.proto.v1.LinkState.LINK_STATE_PENDING);
    assertThat(node1.stub().listLinks(ListLinksRequest.newBuilder().setPlacement("small")
        .build()).getLinksList()).isEmpty();
    assertThat(failure(() -> node1.stub().listLinks(ListLinksRequest.newBuilder()
        .setPlacement("nope").build())).getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  private static Status failure(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call should have failed").isNotNull();
    return e.getStatus();
  }

  private static CapabilityRecord record(String id) {
    return new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id, "host-" + id, "z1", "r1",
        Map.of(), Set.of("gpu"), "test", 1, "inproc-" + id, "", "", List.of(), List.of());
  }

  /** A fleet the test edits. */
  static final class Fleet implements FleetView {
    private final Map<String, FleetMember> members = new TreeMap<>();

    synchronized void put(CapabilityRecord record, MemberState state) {
      members.put(record.nodeId(), new FleetMember(record, state, NOW, NOW, NOW));
    }

    @Override
    public synchronized List<FleetMember> members() {
      return List.copyOf(members.values());
    }

    @Override
    public Subscription subscribe(Consumer<FleetEvent> listener) {
      return () -> {};
    }
  }
}
