package dev.meshd.core.policy;

import java.util.Map;
import java.util.TreeMap;

/**
 * How the router treats requests for the models a selector matches. Kept in the replicated store.
 *
 * <p>Immutable; nulls become empty values. Semantic checks live in {@link PolicyValidator}.
 *
 * @param name the key in the store
 * @param modelSelector an exact model name or a glob ({@code *}, {@code ?}), e.g. {@code llama-*}
 * @param strategy one of {@link StrategyNames}
 * @param weights named scoring weights the strategy reads (e.g. {@code queue: 0.6}), sorted by
 *     name
 * @param admission admission limits; {@link Admission#UNLIMITED} when absent
 * @param hedging hedging; {@link Hedging#DISABLED} when absent
 * @param revision the store revision of the write that produced this version; 0 before the first
 *     write (ignored by puts: the store assigns it)
 */
public record Policy(
    String name,
    String modelSelector,
    String strategy,
    Map<String, Double> weights,
    Admission admission,
    Hedging hedging,
    long revision) {

  public Policy {
    name = name == null ? "" : name;
    modelSelector = modelSelector == null ? "" : modelSelector;
    strategy = strategy == null ? "" : strategy;
    weights = weights == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(weights));
    admission = admission == null ? Admission.UNLIMITED : admission;
    hedging = hedging == null ? Hedging.DISABLED : hedging;
  }

  /** A policy without weights, admission limits or hedging. */
  public static Policy of(String name, String modelSelector, String strategy) {
    return new Policy(name, modelSelector, strategy, Map.of(), null, null, 0);
  }

  /** The same policy as stored at {@code newRevision}. */
  public Policy withRevision(long newRevision) {
    return new Policy(name, modelSelector, strategy, weights, admission, hedging, newRevision);
  }
}
