package dev.meshd.bench;

import dev.meshd.core.policy.Admission;
import dev.meshd.router.Candidate;
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
          random.nextDouble(), random.nextDouble(), Duration.ofMillis(random.nextInt(3000)),
          random.nextInt(3), Optional.empty()));
    }
    context = ScoringContext.defaults(new RouteRequest("meta-llama/Llama-3.1-8B-Instruct",
        "tenant-a", 512, 256,
        Optional.of(new RouteRequest.Origin("node-0", "host-0", "z0", "r0"))));
    scorer = new Strategies(new SplittableRandom(7)).forName(strategy).orElseThrow();
  }

  /** The choice plus a retry and a hedge alternate. */
  static final int ALTERNATES = 3;

  @Benchmark
  @BenchmarkMode({Mode.SampleTime, Mode.Throughput})
  public List<ScoredTarget> decide() {
    TargetFilters.Result filtered = TargetFilters.apply(candidates, context, admission);
    return scorer.best(context, filtered.eligible(), ALTERNATES);
  }

  @Benchmark
  public List<ScoredTarget> explain() {
    TargetFilters.Result filtered = TargetFilters.apply(candidates, context, admission);
    return scorer.rank(context, filtered.eligible());
  }
}
