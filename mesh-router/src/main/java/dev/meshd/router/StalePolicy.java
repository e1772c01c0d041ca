package dev.meshd.router;

/** What the router does with a target whose load signals are older than the staleness bound. */
public enum StalePolicy {
  /** Not eligible: the router does not know its load. */
  DROP,
  /** Eligible, but its freshness term is 0, so fresh targets of equal load rank first. */
  PENALIZE
}
