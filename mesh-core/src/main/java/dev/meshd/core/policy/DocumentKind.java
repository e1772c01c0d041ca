package dev.meshd.core.policy;

/**
 * The keyspaces of the {@link PolicyStore}. New kinds are added at the end: older readers of the
 * store's JSON do not know them.
 */
public enum DocumentKind {
  POLICY,
  PLACEMENT,
  /** {@link NodeDrain}s, keyed by node id. */
  DRAIN;

  /** Lower-case name for messages, e.g. {@code policy "x"}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
