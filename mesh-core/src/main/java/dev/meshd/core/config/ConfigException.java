package dev.meshd.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file could not be turned into an {@link AgentConfig}. Carries every problem found,
 * not only the first, so that an operator fixes the file in one pass.
 *
 * <p>Immutable. {@link #getMessage()} is the errors, one per line, in file order; it has no stack
 * trace worth showing, so callers print the message alone.
 */
public final class ConfigException extends Exception {

  private final List<ConfigError> errors;

  /**
   * @param errors at least one; sorted here by line and column
   */
  public ConfigException(List<ConfigError> errors) {
    super(render(errors), null, false, false);
    this.errors = sorted(errors);
  }

  /** Every problem, sorted by line then column. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String render(List<ConfigError> errors) {
    if (errors == null || errors.isEmpty()) {
      throw new IllegalArgumentException("errors: empty (expected: at least one)");
    }
    return sorted(errors).stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
  }

  private static List<ConfigError> sorted(List<ConfigError> errors) {
    // Stable: problems on one line keep the order in which the loader met them.
    return errors.stream()
        .sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column))
        .toList();
  }
}
