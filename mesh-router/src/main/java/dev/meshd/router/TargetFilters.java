package dev.meshd.router;

import dev.meshd.core.policy.Admission;
import java.util.ArrayList;
import java.util.List;

/**
 * The hard filters applied before any scoring: a target that fails one is never chosen, whatever
 * its score. In order: node not ALIVE, node draining, runtime unhealthy, signals stale (when the
 * policy is {@link StalePolicy#DROP}), queue deeper than the policy's admission limit. Stateless.
 */
public final class TargetFilters {

  private TargetFilters() {}

  /** The eligible candidates and, for the others, the first filter each failed. */
  public record Result(List<Candidate> eligible, List<Rejection> rejected) {
    public Result {
      eligible = List.copyOf(eligible);
      rejected = List.copyOf(rejected);
    }

    /** True when candidates existed and admission alone turned every one of them away. */
    public boolean rejectedByAdmissionOnly() {
      return eligible.isEmpty() && !rejected.isEmpty()
          && rejected.stream().allMatch(r -> r.reason().startsWith(ADMISSION));
    }
  }

  static final String ADMISSION = "admission:";

  public static Result apply(List<Candidate> candidates, ScoringContext context,
      Admission admission) {
    List<Candidate> eligible = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Candidate c : candidates) {
      String reason = reason(c, context, admission);
      if (reason == null) {
        eligible.add(c);
      } else {
        rejected.add(new Rejection(c, reason));
      }
    }
    return new Result(eligible, rejected);
  }

  private static String reason(Candidate c, ScoringContext context, Admission admission) {
    if (!c.alive()) {
      return "node not ALIVE";
    }
    if (c.draining()) {
      return "node draining";
    }
    if (!c.runtimeHealthy()) {
      return "runtime unhealthy: " + c.unhealthyReason();
    }
    if (context.stalePolicy() == StalePolicy.DROP && context.isStale(c)) {
      return "signals stale: " + c.signalAge().toMillis() + " ms old (bound "
          + context.staleBound().toMillis() + " ms)";
    }
    int max = admission.maxQueueDepthPerTarget();
    if (max > 0 && c.effectiveQueue() > max) {
      return ADMISSION + " queue " + format(c.effectiveQueue()) + " > max " + max;
    }
    return null;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
  }
}
