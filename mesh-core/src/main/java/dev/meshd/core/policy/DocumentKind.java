package dev.meshd.core.policy;

/** The two keyspaces of the {@link PolicyStore}. */
public enum DocumentKind {
  POLICY,
  PLACEMENT;

  /** Lower-case name for messages, e.g. {@code policy "x"}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
