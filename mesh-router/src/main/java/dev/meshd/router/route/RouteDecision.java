package dev.meshd.router.route;

import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Hedging;
import dev.meshd.core.policy.Policy;
import dev.meshd.router.Rejection;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ScoredTarget;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One routing decision with everything needed to explain it: the policy that matched (empty: the
 * default), the strategy, the ranked eligible targets with their score terms, and each rejected
 * target with the filter it failed.
 *
 * @param request what was routed
 * @param policy the matching policy; empty when none matched and the default applied
 * @param strategy the strategy's registry name
 * @param outcome how the decision ended
 * @param ranked eligible targets, best first; empty unless {@link RouteOutcome#ROUTED}
 * @param rejected targets the hard filters turned away, with the reason
 * @param tableRevision the store revision of the policies and placements used
 * @param elapsed how long the decision took (filters and scoring)
 */
public record RouteDecision(
    RouteRequest request,
    Optional<Policy> policy,
    String strategy,
    RouteOutcome outcome,
    List<ScoredTarget> ranked,
    List<Rejection> rejected,
    long tableRevision,
    Duration elapsed) {

  public RouteDecision {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
    ranked = List.copyOf(ranked);
    rejected = List.copyOf(rejected);
  }

  public Admission admission() {
    return policy.map(Policy::admission).orElse(Admission.UNLIMITED);
  }

  public Hedging hedging() {
    return policy.map(Policy::hedging).orElse(Hedging.DISABLED);
  }

  /** Each rejected target and why, on one line: {@code node2 (node draining); node3 (...)}. */
  public String rejectionSummary() {
    StringBuilder out = new StringBuilder();
    for (Rejection r : rejected) {
      if (!out.isEmpty()) {
        out.append("; ");
      }
      out.append(r.candidate().nodeId()).append(" (").append(r.reason()).append(')');
    }
    return out.toString();
  }

  /** The policy's name, or {@code (default)}. */
  public String policyName() {
    return policy.map(Policy::name).orElse("(default)");
  }
}
