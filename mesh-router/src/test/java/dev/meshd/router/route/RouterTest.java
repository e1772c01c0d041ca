package dev.meshd.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.GpuInfo;
import dev.meshd.core.capability.GpuSource;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.LinkState;
import dev.meshd.core.policy.LinkStatus;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.Replica;
import dev.meshd.core.policy.Stage;
import dev.meshd.core.policy.StageLink;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.router.Rejection;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.StalePolicy;
import dev.meshd.router.strategy.Strategies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";
  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  private final List<FleetMember> members = new ArrayList<>();
  private final Map<String, List<AgedSignal>> signals = new HashMap<>();
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
  private final AtomicReference<RouterSettings> settings =
      new AtomicReference<>(RouterSettings.DEFAULTS);
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final DispatchLedger ledger = new DispatchLedger(nanos::get);
  private final Router router = new Router(new Strategies(new Random(7)),
      new CandidateBuilder(node -> signals.getOrDefault(node, List.of()), ledger,
          RouterSettings.DEFAULTS.staleAfter()), table::get,
      () -> List.copyOf(members), settings::get, nanos::get);

  @Test
  void unplacedModelGoesToTheLeastLoadedAliveNodeServingIt() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    node("node3", MemberState.ALIVE, "Qwen/Qwen2.5-7B");
    load("node1", 6, 100);
    load("node2", 1, 100);
    load("node3", 0, 100);

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(decision.outcome()).isEqualTo(RouteOutcome.ROUTED);
    assertThat(decision.strategy()).isEqualTo("hybrid");
    assertThat(decision.policyName()).isEqualTo("(default)");
    assertThat(nodes(decision.ranked())).containsExactly("node2", "node1");
    assertThat(decision.ranked().getFirst().terms()).isNotEmpty();
  }

  @Test
  void deadNodesAndDrainedNodesAreRejectedWithTheirReason() {
    node("node1", MemberState.DEAD, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    node("node3", MemberState.ALIVE, LLAMA);
    load("node1", 0, 10);
    load("node2", 5, 10);
    load("node3", 0, 10);
    table.set(new RoutingTable(List.of(), List.of(), Set.of("node3"), 4));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(nodes(decision.ranked())).containsExactly("node2");
    assertThat(decision.rejected()).extracting(r -> r.candidate().nodeId() + ": " + r.reason())
        .containsExactlyInAnyOrder("node1: node not ALIVE", "node3: node draining");
    assertThat(decision.tableRevision()).isEqualTo(4);
  }

  @Test
  void placementLimitsTargetsAndItsCordonsApply() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    node("node3", MemberState.ALIVE, LLAMA);
    load("node1", 0, 10);
    load("node2", 0, 10);
    load("node3", 0, 10);
    Placement placement = Placement.ofReplicas("llama", LLAMA, List.of(
        new Replica("node1", List.of(0)), new Replica("node2", List.of(0))))
        .withCordoned("node2");
    table.set(new RoutingTable(List.of(), List.of(placement), Set.of(), 9));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(nodes(decision.ranked())).containsExactly("node1");
    assertThat(decision.rejected()).extracting(Rejection::reason)
        .containsExactly("node draining");
  }

  @Test
  void placedNodeWithoutAServingRuntimeIsRejectedNotSilentlySkipped() {
    node("node1", MemberState.ALIVE, "other-model");
    table.set(new RoutingTable(List.of(), List.of(Placement.ofReplicas("p", LLAMA,
        List.of(new Replica("node1", List.of()), new Replica("ghost", List.of())))), Set.of(), 2));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(decision.outcome()).isEqualTo(RouteOutcome.NO_ELIGIBLE_TARGET);
    assertThat(decision.rejected()).extracting(r -> r.candidate().nodeId() + ": " + r.reason())
        .containsExactlyInAnyOrder("ghost: node not ALIVE",
            "node1: runtime unhealthy: no runtime on the node serves " + LLAMA);
  }

  @Test
  void unknownModelIsReportedAsSuch() {
    node("node1", MemberState.ALIVE, LLAMA);

    assertThat(router.route(RouteRequest.of("nope")).outcome())
        .isEqualTo(RouteOutcome.UNKNOWN_MODEL);
  }

  @Test
  void policyChoosesStrategyAndAdmissionRejectsDeepQueues() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    load("node1", 9, 10);
    load("node2", 12, 10);
    Policy limited = new Policy("llama", "meta-llama/*", "least_queue", Map.of(),
        new Admission(8, 0), null, 3);
    table.set(new RoutingTable(List.of(limited), List.of(), Set.of(), 3));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(decision.outcome()).isEqualTo(RouteOutcome.ADMISSION_REJECTED);
    assertThat(decision.strategy()).isEqualTo("least_queue");
    assertThat(decision.policyName()).isEqualTo("llama");

    load("node1", 3, 10);
    assertThat(nodes(router.route(RouteRequest.of(LLAMA)).ranked())).containsExactly("node1");
  }

  @Test
  void requestsSentSinceTheLastSignalCountAsQueued() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    load("node1", 0, 500);
    load("node2", 1, 500);
    ledger.recordDispatch("node1/http://node1:8000");
    ledger.recordDispatch("node1/http://node1:8000");

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(nodes(decision.ranked())).containsExactly("node2", "node1");
    assertThat(decision.ranked().get(1).candidate().routedSinceSignal()).isEqualTo(2);
  }

  @Test
  void unhealthyRuntimeAndStaleSignalsFollowTheSettings() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    node("node3", MemberState.ALIVE, LLAMA);
    signals.put("node1", List.of(new AgedSignal(RuntimeSignal.unhealthy(RuntimeKind.VLLM,
        endpoint("node1"), "connection refused", T0), Duration.ofMillis(10))));
    load("node2", 0, 5_000);
    load("node3", 4, 100);
    settings.set(new RouterSettings(Duration.ofSeconds(2), StalePolicy.DROP));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(nodes(decision.ranked())).containsExactly("node3");
    assertThat(decision.rejected()).extracting(Rejection::reason).containsExactlyInAnyOrder(
        "runtime unhealthy: connection refused",
        "signals stale: 5000 ms old (bound 2000 ms)");
  }

  @Test
  void nodeWithoutAnySignalYetCountsAsStale() {
    node("node1", MemberState.ALIVE, LLAMA);
    settings.set(new RouterSettings(Duration.ofSeconds(2), StalePolicy.DROP));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(decision.outcome()).isEqualTo(RouteOutcome.NO_ELIGIBLE_TARGET);
    assertThat(decision.rejected().getFirst().candidate().signalAge())
        .isEqualTo(CandidateBuilder.NO_SIGNAL_AGE);
  }

  @Test
  void pipelineEntersAtTheFirstStageAndCarriesItsSlowestLink() {
    node("node1", MemberState.ALIVE, LLAMA);
    node("node2", MemberState.ALIVE, LLAMA);
    load("node1", 0, 10);
    load("node2", 0, 10);
    Placement pipeline = new Placement("pp", LLAMA, List.of(),
        List.of(new Stage(1, 16, 31, "node1", List.of(0)), new Stage(0, 0, 15, "node2",
            List.of(0))),
        List.of(new StageLink(0, 1, new LinkStatus("quic", "QUIC", 1_000_000_000L, 80,
            LinkState.DEGRADED, "", List.of("rdma: no provider"), T0))), Set.of(), 5);
    table.set(new RoutingTable(List.of(), List.of(pipeline), Set.of(), 5));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(nodes(decision.ranked())).containsExactly("node2");
    assertThat(decision.ranked().getFirst().candidate().slowestLink())
        .hasValueSatisfying(l -> assertThat(l.fabricClass()).isEqualTo("QUIC"));
  }

  @Test
  void failedStageLinkMakesThePipelineIneligible() {
    node("node1", MemberState.ALIVE, LLAMA);
    load("node1", 0, 10);
    Placement pipeline = new Placement("pp", LLAMA, List.of(),
        List.of(new Stage(0, 0, 15, "node1", List.of(0)), new Stage(1, 16, 31, "node1",
            List.of(1))),
        List.of(new StageLink(0, 1, new LinkStatus("", "", 0, 0, LinkState.FAILED,
            "every transport failed", List.of(), T0))), Set.of(), 5);
    table.set(new RoutingTable(List.of(), List.of(pipeline), Set.of(), 5));

    RouteDecision decision = router.route(RouteRequest.of(LLAMA));

    assertThat(decision.rejected()).extracting(Rejection::reason).containsExactly(
        "runtime unhealthy: stage link 0->1 failed: every transport failed");
  }

  @Test
  void chooseReturnsOnlyTheBestK() {
    for (int i = 1; i <= 5; i++) {
      node("node" + i, MemberState.ALIVE, LLAMA);
      load("node" + i, i, 10);
    }

    RouteDecision decision = router.choose(RouteRequest.of(LLAMA), 2);

    assertThat(nodes(decision.ranked())).containsExactly("node1", "node2");
    assertThat(router.models()).containsExactly(LLAMA);
  }

  @Test
  void aMeasuredDecodeRateReachesTheCandidateAndHybridPrefersTheFasterOfEqualLoads() {
    node("slow", MemberState.ALIVE, LLAMA);
    node("fast", MemberState.ALIVE, LLAMA);
    decoding("slow", 12.5);
    decoding("fast", 50);

    RouteDecision decision = router.choose(RouteRequest.of(LLAMA), 2);

    assertThat(nodes(decision.ranked())).containsExactly("fast", "slow");
    assertThat(decision.ranked().get(1).candidate().decodeTokensPerSecond()).hasValue(12.5);
  }

  /** Equal load (queue 2, 8 running) and a measured decode rate, tokens/s per request. */
  private void decoding(String node, double tokensPerSecond) {
    signals.put(node, List.of(new AgedSignal(RuntimeSignal.healthy(RuntimeKind.VLLM,
        endpoint(node), List.of(new ModelLoad(LLAMA, 2, 8, OptionalDouble.of(0.2),
            OptionalDouble.of(tokensPerSecond))), T0), Duration.ofMillis(10))));
  }

  private void node(String id, MemberState state, String model) {
    GpuInfo gpu = new GpuInfo(0, "GPU-" + id, "H100-80GB", 80L << 30, 10L << 30, 0.3, "", true,
        GpuSource.SIMULATED);
    CapabilityRecord record = new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION, id,
        "host-" + id, "z1", "r1", Map.of(), Set.of("gpu"), "test", 1, id + ":7070", "", "",
        List.of(gpu), List.of(new RuntimeInfo(RuntimeKind.VLLM, endpoint(id), List.of(model))));
    members.add(new FleetMember(record, state, T0, T0, T0));
  }

  private void load(String node, double queue, long ageMillis) {
    signals.put(node, List.of(new AgedSignal(RuntimeSignal.healthy(RuntimeKind.VLLM,
        endpoint(node), List.of(new ModelLoad(LLAMA, queue, 1, OptionalDouble.of(0.2))), T0),
        Duration.ofMillis(ageMillis))));
  }

  private static String endpoint(String node) {
    return "http://" + node + ":8000";
  }

  private static List<String> nodes(List<ScoredTarget> ranked) {
    return ranked.stream().map(t -> t.candidate().nodeId()).toList();
  }
}
