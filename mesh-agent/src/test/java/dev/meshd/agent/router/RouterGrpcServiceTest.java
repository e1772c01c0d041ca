package dev.meshd.agent.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshd.agent.testing.TestMembers;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetEvent;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.proto.v1.RouteRequest;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouterServiceGrpc;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.Router;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.router.route.RoutingTable;
import dev.meshd.router.strategy.Strategies;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterGrpcServiceTest {

  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  private volatile double queueOfNode1;
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
  private final List<FleetMember> members = List.of(member("node1"), member("node2"));
  private final FleetView fleet = new FleetView() {
    @Override
    public List<FleetMember> members() {
      return members;
    }

    @Override
    public Subscription subscribe(Consumer<FleetEvent> listener) {
      return () -> {};
    }
  };
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void answersTheRankingWithItsTermsAndRejections() {
    var stub = start(true);

    RouteResponse response = stub.route(RouteRequest.newBuilder().setModel(MODEL)
        .setTenant("team-a").build());

    assertThat(response.getRouterNode()).isEqualTo("node1");
    assertThat(response.getStrategy()).isEqualTo("hybrid");
    assertThat(response.getTargetsList()).extracting(t -> t.getTarget().getNodeId())
        .containsExactly("node1", "node2");
    assertThat(response.getTargets(0).getRank()).isEqualTo(1);
    assertThat(response.getTargets(0).getTermsList()).isNotEmpty();
    assertThat(response.getTargets(1).getTarget().getQueueDepth()).isEqualTo(5);
    assertThat(response.getTargets(1).getTarget().getSignalAge().getNanos())
        .isEqualTo(100_000_000);
  }

  @Test
  void mapsEveryOutcomeToItsStatus() {
    var stub = start(true);

    assertThat(status(() -> stub.route(RouteRequest.getDefaultInstance())))
        .satisfies(s -> {
          assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(s.getDescription()).isEqualTo("model: required");
        });
    assertThat(status(() -> stub.route(RouteRequest.newBuilder().setModel("nope").build()))
        .getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status(() -> stub.route(RouteRequest.newBuilder().setModel(MODEL)
        .setOriginNode("node9").build())).getDescription())
        .isEqualTo("origin_node: \"node9\" is not in the fleet");

    List<Policy> tight = List.of(new Policy("tight", MODEL, "least_queue", Map.of(),
        new Admission(1, 0), null, 3));
    // node1 drained, node2 over the limit: not admission alone, so UNAVAILABLE with reasons.
    table.set(new RoutingTable(tight, List.of(), Set.of("node1"), 3));
    Status unavailable = status(() -> stub.route(RouteRequest.newBuilder().setModel(MODEL)
        .build()));
    assertThat(unavailable.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(unavailable.getDescription()).contains("node1 (node draining)",
        "node2 (admission: queue 5 > max 1)");

    // Both over the limit: admission alone rejected everything.
    queueOfNode1 = 2;
    table.set(new RoutingTable(tight, List.of(), Set.of(), 4));
    Status exhausted = status(() -> stub.route(RouteRequest.newBuilder().setModel(MODEL)
        .build()));
    assertThat(exhausted.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(exhausted.getDescription()).contains("policy tight", "queue 2 > max 1");
  }

  @Test
  void aNodeWithoutTheRouterRoleSaysSo() {
    var stub = start(false);

    Status status = status(() -> stub.route(RouteRequest.newBuilder().setModel(MODEL).build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("does not have the router role");
  }

  private RouterServiceGrpc.RouterServiceBlockingStub start(boolean isRouter) {
    Optional<Router> router = isRouter
        ? Optional.of(new Router(new Strategies(new Random(3)),
            new CandidateBuilder(node -> List.of(new AgedSignal(RuntimeSignal.healthy(
                RuntimeKind.VLLM, "http://" + node + ":8000", List.of(new ModelLoad(MODEL,
                    node.equals("node1") ? queueOfNode1 : 5, 0, OptionalDouble.empty())),
                TestMembers.T0), Duration.ofMillis(100))), DispatchLedger.system(),
                RouterSettings.DEFAULTS.staleAfter()),
            table::get, () -> members, () -> RouterSettings.DEFAULTS, System::nanoTime))
        : Optional.empty();
    RouterGrpcService service = new RouterGrpcService(router,
        new OriginResolver(fleet, () -> members.getFirst().record()), "node1");
    String name = InProcessServerBuilder.generateName();
    try {
      server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build()
          .start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return RouterServiceGrpc.newBlockingStub(channel);
  }

  private static Status status(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  private static FleetMember member(String id) {
    CapabilityRecord record = new CapabilityRecord(1, id, "host-" + id, "z1", "r1", Map.of(),
        Set.of("gpu", "router"), "0.1.0", 1, "", "", "", List.of(),
        List.of(new RuntimeInfo(RuntimeKind.VLLM, "http://" + id + ":8000", List.of(MODEL))));
    return new FleetMember(record, MemberState.ALIVE, TestMembers.T0, TestMembers.T0,
        TestMembers.T0);
  }
}
