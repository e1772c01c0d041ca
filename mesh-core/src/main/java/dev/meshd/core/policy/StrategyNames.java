package dev.meshd.core.policy;

import java.util.Set;

/**
 * The routing strategies a {@link Policy} may name. A registry here, not in the router, so the
 * store can reject a misspelt strategy before the router implements every one of them.
 */
public final class StrategyNames {

  public static final String ROUND_ROBIN = "round_robin";
  public static final String LEAST_QUEUE = "least_queue";
  public static final String POWER_OF_TWO = "power_of_two";
  public static final String HEURISTIC = "heuristic";
  public static final String FABRIC_AWARE = "fabric_aware";
  public static final String HYBRID = "hybrid";

  /** Every known name, in the order the documentation lists them. */
  public static final Set<String> ALL =
      java.util.Collections.unmodifiableSet(
          new java.util.LinkedHashSet<>(
              java.util.List.of(
                  ROUND_ROBIN, LEAST_QUEUE, POWER_OF_TWO, HEURISTIC, FABRIC_AWARE, HYBRID)));

  private StrategyNames() {}

  public static boolean isKnown(String name) {
    return name != null && ALL.contains(name);
  }
}
