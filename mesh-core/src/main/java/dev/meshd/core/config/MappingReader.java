package dev.meshd.core.config;

import java.util.List;

/**
 * One YAML mapping of the config with a fixed set of known keys. Reports every unknown key when
 * it is opened (with a "did you mean" when a known key is close) and hands out {@link
 * ConfigValue}s located at their keys.
 *
 * <p>An absent or malformed mapping reads as an empty one, so that defaults apply and loading
 * goes on. Not thread-safe; owned by one load.
 */
public final class MappingReader {

  private final ConfigProblems problems;
  private final EnvInterpolator env;
  private final String path;
  private final YamlNode.Mapping mapping;
  private final int line;
  private final int column;

  /**
   * @param path dotted path of this mapping, empty for the root
   * @param mapping the mapping, or null when absent
   * @param line where missing-key errors point: the key that introduced this mapping
   */
  MappingReader(ConfigProblems problems, EnvInterpolator env, String path,
      YamlNode.Mapping mapping, int line, int column, List<String> knownKeys) {
    this.problems = problems;
    this.env = env;
    this.path = path;
    this.mapping = mapping;
    this.line = line;
    this.column = column;
    if (mapping != null) {
      for (YamlNode.Entry entry : mapping.entries().values()) {
        if (!knownKeys.contains(entry.key())) {
          problems.add(entry.line(), entry.column(), keyPath(entry.key()),
              "unknown key " + Suggestions.expected(entry.key(), knownKeys));
        }
      }
    }
  }

  /** The value of {@code key}, possibly absent. */
  public ConfigValue get(String key) {
    YamlNode.Entry entry = mapping == null ? null : mapping.entries().get(key);
    return entry == null
        ? new ConfigValue(problems, env, keyPath(key), null, line, column)
        : new ConfigValue(problems, env, keyPath(key), entry.value(), entry.line(),
            entry.column());
  }

  /** The value of {@code key}, reporting {@code missing (expected: ...)} when it is absent. */
  public ConfigValue required(String key, String expected) {
    ConfigValue value = get(key);
    if (!value.isPresent()) {
      value.error("missing (expected: " + expected + ")");
    }
    return value;
  }

  /**
   * Reports a problem with this mapping as a whole (key: its path), located at {@code near} when
   * that value is present, else at the key that introduced the mapping.
   */
  public void error(ConfigValue near, String message) {
    if (near != null && near.isPresent()) {
      problems.add(near.line(), near.column(), path, message);
    } else {
      problems.add(line, column, path, message);
    }
  }

  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
