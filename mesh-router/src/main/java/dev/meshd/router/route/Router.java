package dev.meshd.router.route;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Policy;
import dev.meshd.router.Candidate;
import dev.meshd.router.EligibleTargets;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.TargetFilters;
import dev.meshd.router.strategy.Strategies;
import dev.meshd.router.strategy.TargetScorer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides where a request goes: matches the model's policy, builds the candidates from the
 * fleet, the signals and the placements, applies the hard filters, and ranks what is left with
 * the policy's strategy and weights. Explanations ({@link #route}) read their inputs afresh;
 * decisions ({@link #choose}) read them through {@link CandidateTables}, which follows every
 * policy, placement, drain, membership and signal change within milliseconds, without restart.
 *
 * <p>Thread-safe; never blocks (its suppliers answer from memory).
 */
public final class Router {

  private final Strategies strategies;
  private final CandidateBuilder candidates;
  private final Supplier<RoutingTable> table;
  private final Supplier<List<FleetMember>> members;
  private final Supplier<RouterSettings> settings;
  private final LongSupplier nanoTime;
  private final CandidateTables tables;

  public Router(Strategies strategies, CandidateBuilder candidates, Supplier<RoutingTable> table,
      Supplier<List<FleetMember>> members, Supplier<RouterSettings> settings,
      LongSupplier nanoTime) {
    this(strategies, candidates, table, members, settings, nanoTime,
        new CandidateTables(candidates, table, members, nanoTime));
  }

  Router(Strategies strategies, CandidateBuilder candidates, Supplier<RoutingTable> table,
      Supplier<List<FleetMember>> members, Supplier<RouterSettings> settings,
      LongSupplier nanoTime, CandidateTables tables) {
    this.strategies = strategies;
    this.candidates = candidates;
    this.table = table;
    this.members = members;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.tables = tables;
  }

  /** Ranks every eligible target, each with its score terms (the explain path). */
  public RouteDecision route(RouteRequest request) {
    return decide(request, Integer.MAX_VALUE);
  }

  /**
   * The best {@code k} targets only (the proxy's path: the choice plus the alternates it may
   * retry or hedge on). Decides on the model's {@link CandidateTables columns}; a decision that
   * finds no target eligible is made again the explaining way, so its rejections say why. A
   * routed decision lists no rejections (the proxy reads none; {@link #route} explains).
   */
  public RouteDecision choose(RouteRequest request, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
    long start = nanoTime.getAsLong();
    Optional<CandidateTables.Entry> entry = tables.current(request.model());
    if (entry.isEmpty()) {
      return decide(request, k);
    }
    Optional<Policy> policy = entry.get().policy();
    TargetScorer scorer = scorerFor(policy);
    ScoringContext context = context(request, policy);
    EligibleTargets eligible = TargetFilters.eligible(entry.get().columns(), context,
        policy.map(Policy::admission).orElse(Admission.UNLIMITED), nanoTime.getAsLong());
    if (eligible.size() == 0) {
      return decide(request, k);
    }
    List<ScoredTarget> ranked = scorer.best(context, eligible, k);
    return new RouteDecision(request, policy, scorer.name(), RouteOutcome.ROUTED, ranked,
        List.of(), entry.get().table().revision(),
        Duration.ofNanos(nanoTime.getAsLong() - start));
  }

  private TargetScorer scorerFor(Optional<Policy> policy) {
    return policy.flatMap(p -> strategies.forName(p.strategy()))
        .orElseGet(strategies::defaultStrategy);
  }

  private ScoringContext context(RouteRequest request, Optional<Policy> policy) {
    RouterSettings s = settings.get();
    return new ScoringContext(request, policy.map(Policy::weights).orElse(Map.of()),
        s.staleAfter(), s.stalePolicy());
  }

  /** The models this router can route: placed ones and those a runtime in the fleet serves. */
  public List<String> models() {
    java.util.TreeSet<String> models = new java.util.TreeSet<>(table.get().placedModels());
    for (FleetMember m : members.get()) {
      if (m.state().isRoutable()) {
        m.record().runtimes().forEach(r -> models.addAll(r.models()));
      }
    }
    return List.copyOf(models);
  }

  private RouteDecision decide(RouteRequest request, int k) {
    long start = nanoTime.getAsLong();
    RoutingTable current = table.get();
    Optional<Policy> policy = PolicyMatcher.match(request.model(), current.policies());
    TargetScorer scorer = scorerFor(policy);
    ScoringContext context = context(request, policy);
    List<Candidate> all = candidates.build(request.model(), current, members.get());
    if (all.isEmpty()) {
      return decision(request, policy, scorer, RouteOutcome.UNKNOWN_MODEL, List.of(),
          List.of(), current, start);
    }
    TargetFilters.Result filtered = TargetFilters.apply(all, context,
        policy.map(Policy::admission).orElse(Admission.UNLIMITED));
    if (filtered.eligible().isEmpty()) {
      RouteOutcome outcome = filtered.rejectedByAdmissionOnly()
          ? RouteOutcome.ADMISSION_REJECTED : RouteOutcome.NO_ELIGIBLE_TARGET;
      return decision(request, policy, scorer, outcome, List.of(), filtered.rejected(), current,
          start);
    }
    List<ScoredTarget> ranked = k == Integer.MAX_VALUE
        ? scorer.rank(context, filtered.eligible())
        : scorer.best(context, filtered.eligible(), k);
    return decision(request, policy, scorer, RouteOutcome.ROUTED, ranked, filtered.rejected(),
        current, start);
  }

  private RouteDecision decision(RouteRequest request, Optional<Policy> policy,
      TargetScorer scorer, RouteOutcome outcome, List<ScoredTarget> ranked,
      List<dev.meshd.router.Rejection> rejected, RoutingTable current, long start) {
    return new RouteDecision(request, policy, scorer.name(), outcome, ranked, rejected,
        current.revision(), Duration.ofNanos(nanoTime.getAsLong() - start));
  }
}
