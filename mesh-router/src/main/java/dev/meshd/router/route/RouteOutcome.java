package dev.meshd.router.route;

/** How a routing decision ended. */
public enum RouteOutcome {
  /** At least one target is eligible; the ranking is non-empty. */
  ROUTED,
  /** No placement names the model and no runtime in the fleet serves it. */
  UNKNOWN_MODEL,
  /** Targets exist and admission (the policy's queue limit) alone turned every one away. */
  ADMISSION_REJECTED,
  /** Targets exist but none is eligible (down, draining, unhealthy, stale); see the rejections. */
  NO_ELIGIBLE_TARGET
}
