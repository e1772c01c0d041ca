package dev.meshd.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a config file, located precisely enough to fix it without searching.
 *
 * <p>Immutable. {@link #toString()} is the line an operator sees, e.g. {@code
 * examples/node1.yaml:7:3: listen.grpc: "127.0.0.1" (expected: host:port)}.
 *
 * @param file the config file, as the operator named it
 * @param line 1-based line, 0 when the problem concerns the whole file (for example: missing)
 * @param column 1-based column, 0 when unknown
 * @param key dotted key path such as {@code listen.grpc} or {@code runtimes[0].kind}; empty when
 *     the problem is not about one key (a YAML syntax error, an empty file)
 * @param message what is wrong, in the style {@code value (expected: ...)}
 */
public record ConfigError(Path file, int line, int column, String key, String message) {

  public ConfigError {
    Objects.requireNonNull(file, "file");
    key = Objects.requireNonNullElse(key, "");
    Objects.requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(
          "line/column: " + line + ":" + column + " (expected: >= 0)");
    }
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder().append(file);
    if (line > 0) {
      out.append(':').append(line);
      if (column > 0) {
        out.append(':').append(column);
      }
    }
    out.append(": ");
    if (!key.isEmpty()) {
      out.append(key).append(": ");
    }
    return out.append(message).toString();
  }
}
