package dev.meshd.router.strategy;

import static dev.meshd.router.Candidates.aged;
import static dev.meshd.router.Candidates.decoding;
import static dev.meshd.router.Candidates.idle;
import static dev.meshd.router.Candidates.linked;
import static dev.meshd.router.Candidates.located;
import static dev.meshd.router.Candidates.routedSince;
import static dev.meshd.router.Candidates.with;
import static dev.meshd.router.Candidates.withQueue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshd.core.policy.StrategyNames;
import dev.meshd.router.Candidate;
import dev.meshd.router.LinkSummary;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoreTerm;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Each strategy's ordering on small constructed fleets. */
class StrategiesTest {

  private final ScoringContext context = ScoringContext.defaults(RouteRequest.of("m"));

  @Test
  void everyRegistryNameHasAStrategyAndHybridIsTheDefault() {
    Strategies strategies = new Strategies(new SplittableRandom(1));
    for (String name : StrategyNames.ALL) {
      assertThat(strategies.forName(name)).get().extracting(TargetScorer::name).isEqualTo(name);
    }
    assertThat(strategies.forName("fastest")).isEmpty();
    assertThat(strategies.defaultStrategy().name()).isEqualTo(StrategyNames.HYBRID);
  }

  @Test
  void roundRobinRotatesThroughEveryTargetRegardlessOfLoad() {
    RoundRobinScorer rr = new RoundRobinScorer();
    List<Candidate> fleet = List.of(withQueue("c", 0), withQueue("a", 50), withQueue("b", 3));
    List<String> firsts = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      firsts.add(rr.rank(context, fleet).getFirst().candidate().nodeId());
    }
    assertThat(firsts).containsExactly("a", "b", "c", "a", "b", "c");
    assertThat(rr.rank(context, fleet)).hasSize(3);
  }

  @Test
  void leastQueuePicksTheShortestQueueAndBreaksTiesByRunningThenName() {
    LeastQueueScorer lq = new LeastQueueScorer();
    assertThat(names(lq.rank(context, List.of(withQueue("a", 4), withQueue("b", 1),
        withQueue("c", 9))))).containsExactly("b", "a", "c");
    assertThat(names(lq.rank(context, List.of(with(idle("a"), 2, 10, 0), with(idle("b"), 2, 3, 0),
        with(idle("c"), 2, 3, 0))))).containsExactly("b", "c", "a");
  }

  @Test
  void powerOfTwoRanksTheBetterOfTwoRandomSamplesFirst() {
    List<Candidate> fleet = List.of(withQueue("a", 8), withQueue("b", 2), withQueue("c", 5),
        withQueue("d", 0));
    Map<String, Integer> firsts = new HashMap<>();
    PowerOfTwoScorer p2 = new PowerOfTwoScorer(new SplittableRandom(42));
    for (int i = 0; i < 600; i++) {
      List<ScoredTarget> ranked = p2.rank(context, fleet);
      assertThat(ranked).hasSize(4);
      assertThat(ranked.get(0).candidate().queueDepth())
          .isLessThanOrEqualTo(ranked.get(1).candidate().queueDepth());
      firsts.merge(ranked.getFirst().candidate().nodeId(), 1, Integer::sum);
    }
    // The most loaded target can never win a sample of two; the least loaded wins whenever it
    // is sampled (half of all pairs).
    assertThat(firsts).doesNotContainKey("a");
    assertThat(firsts.get("d")).isBetween(240, 360);
    assertThat(firsts).containsKeys("b", "c");
    assertThat(p2.rank(context, List.of(idle("only")))).extracting(t -> t.candidate().nodeId())
        .containsExactly("only");
  }

  @Test
  void heuristicWeighsQueueAgainstKvHeadroomAndPolicyWeightsChangeTheOrder() {
    Candidate shortQueueFullCache = with(idle("a"), 1, 0, 0.95);
    Candidate longerQueueEmptyCache = with(idle("b"), 2, 0, 0.05);
    HeuristicScorer h = new HeuristicScorer();

    // Defaults: a nearly full KV cache will soon stall its batch (preemption), which outweighs
    // one more request waiting where the cache is empty.
    assertThat(names(h.rank(context, List.of(shortQueueFullCache, longerQueueEmptyCache))))
        .containsExactly("b", "a");
    ScoringContext queueFirst = new ScoringContext(context.request(),
        Map.of("queue_depth", 1.0, "kv_headroom", 0.05), context.staleBound(),
        context.stalePolicy());
    assertThat(names(h.rank(queueFirst, List.of(shortQueueFullCache, longerQueueEmptyCache))))
        .containsExactly("a", "b");
    // Equal candidates tie, and ties are ordered by key.
    assertThat(names(h.rank(context, List.of(idle("z"), idle("y"))))).containsExactly("y", "z");
  }

  @Test
  void staleTargetsRankBelowFreshOnesOfEqualLoad() {
    Candidate fresh = withQueue("b", 1);
    Candidate stale = aged(withQueue("a", 1), Duration.ofSeconds(5));
    List<ScoredTarget> ranked = new HeuristicScorer().rank(context, List.of(stale, fresh));
    assertThat(names(ranked)).containsExactly("b", "a");
    assertThat(ranked.get(1).terms()).contains(new ScoreTerm("freshness", 0.0, 0.15));
  }

  @Test
  void fabricAwarePrefersLocalTargetsAndFastPipelineLinks() {
    RouteRequest fromZ1 = new RouteRequest("m", "", 0, 0,
        Optional.of(new RouteRequest.Origin("edge", "host-edge", "z1", "r1")));
    ScoringContext local = ScoringContext.defaults(fromZ1);
    Candidate sameZone = located(idle("a"), "h-a", "z1", "r1");
    Candidate otherRegion = located(idle("b"), "h-b", "z9", "r9");
    assertThat(names(new FabricAwareScorer().rank(local, List.of(otherRegion, sameZone))))
        .containsExactly("a", "b");

    // Equally loaded pipelines: 30 running each. NVLink (nominal 900 GB/s) costs a step next to
    // nothing; QUIC as measured (150 MB/s, RTT 200 us) costs 0.2 ms + 30 x 32 KiB / 150 MB/s =
    // 6.75 ms on top of a 20 ms step: the pipeline computes 20 / 26.75 of the time.
    Candidate nvlink = linked(with(idle("p"), 0, 30, 0.0), new LinkSummary("NVLINK", 0));
    Candidate quic = linked(with(idle("q"), 0, 30, 0.0), new LinkSummary("QUIC", 150e6, 200));
    List<ScoredTarget> ranked = new FabricAwareScorer().rank(context, List.of(quic, nvlink));
    assertThat(names(ranked)).containsExactly("p", "q");
    assertThat(term(ranked.get(0), "fabric")).isGreaterThan(0.9999);
    double quicFactor = 0.020 / (0.020 + 200e-6 + 30 * 32768 / 150e6);
    assertThat(term(ranked.get(1), "fabric")).isCloseTo(quicFactor, within(1e-12));
    // The queue term counts in time: the request and those ahead of it take longer there.
    assertThat(term(ranked.get(1), "queue_depth")).isCloseTo(quicFactor, within(1e-12));
    // An idle QUIC pipeline whose round trip is not measured yet costs one token's transfer.
    assertThat(WeightedTerms.fabric(new LinkSummary("QUIC", 1.1e9), 0))
        .isCloseTo(0.020 / (0.020 + 32768 / 1.1e9), within(1e-12));
    // Heuristic ignores both.
    assertThat(new HeuristicScorer().rank(context, List.of(quic, nvlink)).getFirst().score())
        .isEqualTo(new HeuristicScorer().rank(context, List.of(quic, nvlink)).get(1).score());
    // So does a policy that weighs fabric at 0: the queue term is the plain one again.
    ScoringContext blind = new ScoringContext(context.request(), Map.of("fabric", 0.0),
        context.staleBound(), context.stalePolicy());
    List<ScoredTarget> blindRanked = new FabricAwareScorer().rank(blind, List.of(quic, nvlink));
    assertThat(blindRanked.get(0).score()).isEqualTo(blindRanked.get(1).score());
  }

  @Test
  void hybridCountsWhatThisRouterSentSinceTheSignal() {
    Candidate reportedEmptyButFed = routedSince(withQueue("a", 0), 3);
    Candidate reportedOne = withQueue("b", 1);
    HybridScorer hybrid = new HybridScorer(new SplittableRandom(7));
    assertThat(names(hybrid.rank(context, List.of(reportedEmptyButFed, reportedOne))))
        .containsExactly("b", "a");
    // least_queue, on the report alone, keeps sending to "a".
    assertThat(names(new LeastQueueScorer().rank(context,
        List.of(reportedEmptyButFed, reportedOne)))).containsExactly("a", "b");
  }

  @Test
  void hybridSpreadsNearEqualTargetsButNeverPicksAClearlyWorseOne() {
    List<Candidate> fleet = List.of(idle("a"), idle("b"), idle("c"), withQueue("busy", 4));
    HybridScorer hybrid = new HybridScorer(new SplittableRandom(3));
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      List<ScoredTarget> ranked = hybrid.rank(context, fleet);
      firsts.merge(ranked.getFirst().candidate().nodeId(), 1, Integer::sum);
      assertThat(ranked.getLast().candidate().nodeId()).isEqualTo("busy");
    }
    assertThat(firsts).containsOnlyKeys("a", "b", "c");
    assertThat(firsts.values()).allMatch(n -> n > 60);
  }

  @Test
  void hybridWeighsEqualQueuesByMeasuredSpeedAndTheOthersDoNot() {
    // Same load; "slow" decodes at a quarter of "fast"'s rate: its queue term is scaled by
    // (1/4)^(1/3), so it ranks as if its expected queue were longer.
    Candidate fast = decoding(with(idle("fast"), 2, 10, 0.5), 80);
    Candidate slow = decoding(with(idle("slow"), 2, 10, 0.5), 20);
    HybridScorer hybrid = new HybridScorer(new SplittableRandom(1));
    List<ScoredTarget> ranked = hybrid.rank(context, List.of(slow, fast));
    assertThat(names(ranked)).containsExactly("fast", "slow");
    double fastQueue = term(ranked.get(0), "queue_depth");
    assertThat(term(ranked.get(1), "queue_depth"))
        .isCloseTo(fastQueue * Math.cbrt(0.25), within(1e-12));
    // Speed weighs the expected queue, it does not override it: an idle slow GPU still wins.
    assertThat(names(hybrid.rank(context, List.of(fast, decoding(with(idle("slow"), 0, 0, 0.5),
        20))))).startsWith("slow");
    // Unmeasured counts as fast as the fastest; heuristic and fabric_aware ignore speeds.
    Candidate unmeasured = with(idle("unmeasured"), 2, 10, 0.5);
    assertThat(term(hybrid.rank(context, List.of(unmeasured, fast)).stream()
        .filter(t -> t.candidate().nodeId().equals("unmeasured")).findFirst().orElseThrow(),
        "queue_depth")).isEqualTo(fastQueue);
    for (TargetScorer blind : List.of(new HeuristicScorer(), new FabricAwareScorer())) {
      List<ScoredTarget> r = blind.rank(context, List.of(slow, fast));
      assertThat(r.get(0).score()).as(blind.name()).isEqualTo(r.get(1).score());
    }
  }

  @Test
  void everyScoreIsExplainedByItsTerms() {
    for (String name : StrategyNames.ALL) {
      TargetScorer scorer = new Strategies(RandomGenerator.of("L64X128MixRandom")).forName(name)
          .orElseThrow();
      for (ScoredTarget t : scorer.rank(context, List.of(withQueue("a", 1), withQueue("b", 3)))) {
        assertThat(t.terms()).as(name).isNotEmpty();
        assertThat(t.score()).as(name).isFinite();
      }
    }
  }

  private static List<String> names(List<ScoredTarget> ranked) {
    return ranked.stream().map(t -> t.candidate().nodeId()).toList();
  }

  private static double term(ScoredTarget t, String name) {
    return t.terms().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow()
        .value();
  }
}
