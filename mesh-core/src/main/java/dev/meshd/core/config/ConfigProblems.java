package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the {@link ConfigError}s of one config file while it is read, so that loading reports
 * all of them at once instead of stopping at the first.
 *
 * <p>Not thread-safe; owned by one load.
 */
final class ConfigProblems {

  private final Path file;
  private final List<ConfigError> errors = new ArrayList<>();

  ConfigProblems(Path file) {
    this.file = file;
  }

  void add(int line, int column, String key, String message) {
    errors.add(new ConfigError(file, line, column, key, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Throws if anything was reported. */
  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw toException();
    }
  }

  /** Everything reported so far; at least one problem must have been. */
  ConfigException toException() {
    return new ConfigException(errors);
  }
}
