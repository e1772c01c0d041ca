package dev.meshd.bench;

import dev.meshd.core.policy.Admission;
import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.TargetFilters;
import dev.meshd.router.strategy.Strategies;
import dev.meshd.router.strategy.TargetScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision as the router makes it, over N candidates with varied, seeded load: hard
 * filters (with a queue admission limit that rejects about a tenth of the targets, and a tenth of
 * them unhealthy or draining) then the strategy's {@code best(k = 3)}, the choice and two
 * alternates for retry or hedging ({@link #decide}: {@code SampleTime} for the latency
 * distribution, p50 and p99, and {@code Throughput} for decisions per second on one thread). The
 * full ranking with every term, what an explanation ({@code Route}) costs, is {@link #explain}.
 * {@link #route} is what the agent's router does per request ({@code Router.choose}): the
 * model's columns (kept current by {@code CandidateTables}), filters, choice;
 * {@link #routeWhileSignalsChange} the same while the columns are rebuilt as often as allowed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterDecisionBench {

  @Param({"round_robin", "least_queue", "power_of_two", "heuristic", "fabric_aware", "hybrid"})
  public String strategy;

  @Param({"10", "100", "1000", "10000"})
  public int targets;

  private List<Candidate> candidates;
  private ScoringContext context;
  private TargetScorer scorer;
  private final Admission admission = new Admission(60, 0);

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    candidates = new ArrayList<>(targets);
    for (int i = 0; i < targets; i++) {
      boolean sick = random.nextInt(20) == 0;
      boolean draining = random.nextInt(20) == 0;
      candidates.add(new Candidate("node-" + i, "host-" + i / 8, "z" + i % 4, "r" + i % 2,
          "http://10.0." + i / 250 + "." + i % 250 + ":8000", "meta-llama/Llama-3.1-8B-Instruct",
          true, draining, !sick, sick ? "GET /metrics: HTTP 503" : "",
          random.nextInt(66), random.nextInt(32), OptionalDouble.of(random.nextDouble()),
          // A measured decode rate of 20-80 tokens/s (vLLM runtimes), drawn from no random
          // stream so that the other figures stay those of earlier runs.
          OptionalDouble.of(20 + (i * 37) % 61),
          random.nextDouble(), random.nextDouble(), Duration.ofMillis(random.nextInt(3000)),
          random.nextInt(3), Optional.empty()));
    }
    context = ScoringContext.defaults(new RouteRequest("meta-llama/Llama-3.1-8B-Instruct",
        "tenant-a", 512, 256,
        Optional.of(new RouteRequest.Origin("node-0", "host-0", "z0", "r0"))));
    scorer = new Strategies(new SplittableRandom(7)).forName(strategy).orElseThrow();
    setUpRouter();
  }

  private dev.meshd.router.route.Router router;
  private RouteRequest request;

  private void setUpRouter() {
    SplittableRandom random = new SplittableRandom(43);
    java.time.Instant now = java.time.Instant.parse("2026-11-29T12:00:00Z");
    List<dev.meshd.core.fleet.FleetMember> members = new ArrayList<>(targets);
    java.util.Map<String, List<dev.meshd.core.signal.AgedSignal>> signals =
        new java.util.HashMap<>();
    String model = "meta-llama/Llama-3.1-8B-Instruct";
    for (Candidate c : candidates) {
      var record = new dev.meshd.core.capability.CapabilityRecord(1, c.nodeId(), c.hostId(),
          c.zone(), c.region(), java.util.Map.of(), java.util.Set.of("gpu"), "bench", 1, "", "",
          "", List.of(), List.of(new dev.meshd.core.capability.RuntimeInfo(
              dev.meshd.core.capability.RuntimeKind.VLLM, c.runtime(), List.of(model))));
      members.add(new dev.meshd.core.fleet.FleetMember(record,
          dev.meshd.core.fleet.MemberState.ALIVE, now, now, now));
      signals.put(c.nodeId(), List.of(new dev.meshd.core.signal.AgedSignal(
          dev.meshd.core.signal.RuntimeSignal.healthy(dev.meshd.core.capability.RuntimeKind.VLLM,
              c.runtime(), List.of(new dev.meshd.core.signal.ModelLoad(model,
                  random.nextInt(66), random.nextInt(32),
                  OptionalDouble.of(random.nextDouble()))), now),
          Duration.ofMillis(random.nextInt(3000)))));
    }
    var policy = new dev.meshd.core.policy.Policy("bench", model, strategy, java.util.Map.of(),
        admission, null, 1);
    var table = new dev.meshd.router.route.RoutingTable(List.of(policy), List.of(),
        java.util.Set.of(), 1);
    var ledger = dev.meshd.router.route.DispatchLedger.system();
    dev.meshd.core.signal.SignalView view = new dev.meshd.core.signal.SignalView() {
      @Override
      public List<dev.meshd.core.signal.AgedSignal> signals(String nodeId) {
        return signals.getOrDefault(nodeId, List.of());
      }

      @Override
      public long version() {
        return signalsVersion;
      }
    };
    router = new dev.meshd.router.route.Router(new Strategies(new SplittableRandom(7)),
        new dev.meshd.router.route.CandidateBuilder(view, ledger,
            dev.meshd.router.route.RouterSettings.DEFAULTS.staleAfter()),
        () -> table, () -> members, () -> dev.meshd.router.route.RouterSettings.DEFAULTS,
        System::nanoTime);
    request = context.request();
    columns = CandidateColumns.of(candidates, System.nanoTime());
  }

  /** Read by the router's signal view; {@link #routeWhileSignalsChange} bumps it per call. */
  private volatile long signalsVersion = 1;
  private CandidateColumns columns;

  /** The choice plus a retry and a hedge alternate. */
  static final int ALTERNATES = 3;

  @Benchmark
  @BenchmarkMode({Mode.SampleTime, Mode.Throughput})
  public List<ScoredTarget> decide() {
    TargetFilters.Result filtered = TargetFilters.apply(candidates, context, admission);
    return scorer.best(context, filtered.eligible(), ALTERNATES);
  }

  /**
   * {@link #decide} on the model's columns, as the agent decides: filters and the strategy's
   * columnar scoring, the best 3 turned back into candidates.
   */
  @Benchmark
  public List<ScoredTarget> decideOnColumns() {
    EligibleTargets eligible = TargetFilters.eligible(columns, context, admission,
        System.nanoTime());
    return scorer.best(context, eligible, ALTERNATES);
  }

  /**
   * A whole per-request decision in the agent ({@code Router.choose}): policy match, the model's
   * columns (built once: nothing changes here), filters, the best 3.
   */
  @Benchmark
  public dev.meshd.router.route.RouteDecision route() {
    return router.choose(request, ALTERNATES);
  }

  /**
   * {@link #route} while every call sees new signals: the worst case, where the columns are
   * rebuilt in the background as often as allowed (every 2 ms) while decisions go on.
   */
  @Benchmark
  public dev.meshd.router.route.RouteDecision routeWhileSignalsChange() {
    signalsVersion++;
    return router.choose(request, ALTERNATES);
  }

  @Benchmark
  public List<ScoredTarget> explain() {
    TargetFilters.Result filtered = TargetFilters.apply(candidates, context, admission);
    return scorer.rank(context, filtered.eligible());
  }
}
