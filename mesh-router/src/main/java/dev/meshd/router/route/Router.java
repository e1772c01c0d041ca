package dev.meshd.router.route;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.Policy;
import dev.meshd.router.Candidate;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import dev.meshd.router.ScoringContext;
import dev.meshd.router.TargetFilters;
import dev.meshd.router.strategy.Strategies;
import dev.meshd.router.strategy.TargetScorer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides where a request goes: matches the model's policy, builds the candidates from the
 * fleet, the signals and the placements, applies the hard filters, and ranks what is left with
 * the policy's strategy and weights. Reads its inputs afresh on every decision, so policy,
 * placement, drain and membership changes apply without restart.
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

  public Router(Strategies strategies, CandidateBuilder candidates, Supplier<RoutingTable> table,
      Supplier<List<FleetMember>> members, Supplier<RouterSettings> settings,
      LongSupplier nanoTime) {
    this.strategies = strategies;
    this.candidates = candidates;
    this.table = table;
    this.members = members;
    this.settings = settings;
    this.nanoTime = nanoTime;
  }

  /** Ranks every eligible target, each with its score terms (the explain path). */
  public RouteDecision route(RouteRequest request) {
    return decide(request, Integer.MAX_VALUE);
  }

  /**
   * The best {@code k} targets only (the proxy's path: the choice plus the alternates it may
   * retry or hedge on).
   */
  public RouteDecision choose(RouteRequest request, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
    return decide(request, k);
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
    TargetScorer scorer = policy.flatMap(p -> strategies.forName(p.strategy()))
        .orElseGet(strategies::defaultStrategy);
    RouterSettings s = settings.get();
    ScoringContext context = new ScoringContext(request,
        policy.map(Policy::weights).orElse(java.util.Map.of()), s.staleAfter(), s.stalePolicy());
    List<Candidate> all = candidates.build(request.model(), current, members.get());
    if (all.isEmpty()) {
      return decision(request, policy, scorer, RouteOutcome.UNKNOWN_MODEL, List.of(),
          List.of(), current, start);
    }
    TargetFilters.Result filtered = TargetFilters.apply(all, context,
        policy.map(Policy::admission).orElse(dev.meshd.core.policy.Admission.UNLIMITED));
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
