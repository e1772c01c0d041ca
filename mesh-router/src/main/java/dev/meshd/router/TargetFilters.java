package dev.meshd.router;

import dev.meshd.core.policy.Admission;
import java.util.Arrays;
import java.util.List;

/**
 * The hard filters applied before any scoring: a target that fails one is never chosen, whatever
 * its score. In order: node not ALIVE, node draining, runtime unhealthy, signals stale (when the
 * policy is {@link StalePolicy#DROP}), queue deeper than the policy's admission limit. Stateless.
 *
 * <p>A routing decision reads only the eligible list, so {@link #apply} builds no text: it notes
 * which filter each rejected target failed, and a rejection's one-line reason is written when an
 * explanation first reads it.
 */
public final class TargetFilters {

  private TargetFilters() {}

  /**
   * The eligible candidates and, for the others, the first filter each failed. Immutable; the
   * lists {@link #apply} passes are not copied again.
   */
  public record Result(List<Candidate> eligible, List<Rejection> rejected) {
    public Result {
      eligible = eligible instanceof FrozenList<Candidate> ? eligible : List.copyOf(eligible);
      rejected = rejected instanceof Rejections ? rejected : List.copyOf(rejected);
    }

    /** True when candidates existed and admission alone turned every one of them away. */
    public boolean rejectedByAdmissionOnly() {
      if (!eligible.isEmpty() || rejected.isEmpty()) {
        return false;
      }
      return rejected instanceof Rejections lazy ? lazy.allFailed(Filter.ADMISSION)
          : rejected.stream().allMatch(r -> r.reason().startsWith(ADMISSION));
    }
  }

  static final String ADMISSION = "admission:";

  public static Result apply(List<Candidate> candidates, ScoringContext context,
      Admission admission) {
    int n = candidates.size();
    Candidate[] eligible = new Candidate[n];
    int eligibleCount = 0;
    Candidate[] rejected = null;
    Filter[] failed = null;
    int rejectedCount = 0;
    int max = admission.maxQueueDepthPerTarget();
    boolean dropStale = context.stalePolicy() == StalePolicy.DROP;
    for (Candidate c : candidates) {
      Filter f = firstFailed(c, context, dropStale, max);
      if (f == null) {
        eligible[eligibleCount++] = c;
      } else {
        if (rejected == null) {
          rejected = new Candidate[Math.min(16, n)];
          failed = new Filter[rejected.length];
        } else if (rejectedCount == rejected.length) {
          rejected = Arrays.copyOf(rejected, Math.min(n, 2 * rejectedCount));
          failed = Arrays.copyOf(failed, rejected.length);
        }
        rejected[rejectedCount] = c;
        failed[rejectedCount++] = f;
      }
    }
    return new Result(new FrozenList<>(eligible, eligibleCount),
        new Rejections(rejected, failed, rejectedCount, context.staleBound(), max));
  }

  /**
   * {@link #apply}'s eligible targets over columns, in column order, at {@code nowNanos} on the
   * columns' clock: the same filters in the same order, without naming the rejected ones (a
   * decision that finds none eligible asks {@link #apply} why).
   */
  public static EligibleTargets eligible(CandidateColumns columns, ScoringContext context,
      Admission admission, long nowNanos) {
    int n = columns.size();
    int[] index = new int[n];
    int[] routed = new int[n];
    int size = 0;
    int max = admission.maxQueueDepthPerTarget();
    boolean dropStale = context.stalePolicy() == StalePolicy.DROP;
    long staleNanos = context.staleBound().toNanos();
    for (int i = 0; i < n; i++) {
      if (columns.blocked(i) != CandidateColumns.OPEN) {
        continue;
      }
      if (dropStale && columns.ageNanos(i, nowNanos) > staleNanos) {
        continue;
      }
      int sent = columns.routedSinceSignal(i);
      if (max > 0 && columns.queueDepth(i) + sent > max) {
        continue;
      }
      index[size] = i;
      routed[size++] = sent;
    }
    return new EligibleTargets(columns, index, routed, size, nowNanos);
  }

  private static Filter firstFailed(Candidate c, ScoringContext context, boolean dropStale,
      int maxQueue) {
    if (!c.alive()) {
      return Filter.NOT_ALIVE;
    }
    if (c.draining()) {
      return Filter.DRAINING;
    }
    if (!c.runtimeHealthy()) {
      return Filter.UNHEALTHY;
    }
    if (dropStale && context.isStale(c)) {
      return Filter.STALE;
    }
    if (maxQueue > 0 && c.effectiveQueue() > maxQueue) {
      return Filter.ADMISSION;
    }
    return null;
  }

  /** The hard filters, in the order they are tried. */
  enum Filter {
    NOT_ALIVE, DRAINING, UNHEALTHY, STALE, ADMISSION;

    String reason(Candidate c, long staleBoundMs, int maxQueue) {
      return switch (this) {
        case NOT_ALIVE -> "node not ALIVE";
        case DRAINING -> "node draining";
        case UNHEALTHY -> "runtime unhealthy: " + c.unhealthyReason();
        case STALE -> "signals stale: " + c.signalAge().toMillis() + " ms old (bound "
            + staleBoundMs + " ms)";
        case ADMISSION -> TargetFilters.ADMISSION + " queue " + format(c.effectiveQueue())
            + " > max " + maxQueue;
      };
    }
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
  }
}
