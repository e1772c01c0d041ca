package dev.meshd.router;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a strategy needs besides the candidates: the request, the policy's weights, and how the
 * router treats stale signals.
 *
 * @param request the request being routed
 * @param weights the matching policy's weights by term name; a missing term takes its default
 * @param staleBound signals older than this are stale
 * @param stalePolicy drop or penalize stale targets
 */
public record ScoringContext(
    RouteRequest request, Map<String, Double> weights, Duration staleBound,
    StalePolicy stalePolicy) {

  public ScoringContext {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(staleBound, "staleBound");
    Objects.requireNonNull(stalePolicy, "stalePolicy");
    weights = Map.copyOf(weights);
  }

  public static ScoringContext defaults(RouteRequest request) {
    return new ScoringContext(request, Map.of(), Duration.ofSeconds(2), StalePolicy.PENALIZE);
  }

  public double weight(String term, double defaultWeight) {
    Double w = weights.get(term);
    return w == null || !(w >= 0) ? defaultWeight : w;
  }

  public boolean isStale(Candidate candidate) {
    return candidate.signalAge().compareTo(staleBound) > 0;
  }
}
