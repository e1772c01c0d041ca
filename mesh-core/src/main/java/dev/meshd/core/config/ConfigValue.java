package dev.meshd.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One value of the config, possibly absent, with typed accessors that report a {@link
 * ConfigError} (naming this value's key and line) instead of throwing. An accessor returns empty
 * both when the value is absent and when it is wrong, so that callers fall back to the default
 * and loading goes on to find further problems.
 *
 * <p>{@code ${ENV}} substitution happens here, once, on first access of a scalar. YAML null and
 * an absent key mean the same: "use the default". Not thread-safe; owned by one load.
 */
public final class ConfigValue {

  private final ConfigProblems problems;
  private final EnvInterpolator env;
  private final String key;
  private final YamlNode node;
  private final int line;
  private final int column;
  /** The substituted scalar; null until first asked, so that errors are reported once. */
  private Optional<String> text;

  ConfigValue(ConfigProblems problems, EnvInterpolator env, String key, YamlNode node, int line,
      int column) {
    this.problems = problems;
    this.env = env;
    this.key = key;
    this.node = node instanceof YamlNode.Scalar s && s.isNull() ? null : node;
    this.line = line;
    this.column = column;
  }

  public String key() {
    return key;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public boolean isPresent() {
    return node != null;
  }

  /** Whether a list stands here (possibly empty). */
  public boolean isList() {
    return node instanceof YamlNode.Sequence;
  }

  /** Reports a problem with this value: {@code key: message}. */
  public void error(String message) {
    problems.add(line, column, key, message);
  }

  /** The scalar after substitution; an error if a mapping or list stands here. */
  public Optional<String> text() {
    if (text == null) {
      text = substitute();
    }
    return text;
  }

  private Optional<String> substitute() {
    if (node == null) {
      return Optional.empty();
    }
    if (!(node instanceof YamlNode.Scalar scalar)) {
      error(node.describe() + " (expected: a single value)");
      return Optional.empty();
    }
    try {
      return Optional.of(env.apply(scalar.text()));
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return Optional.empty();
    }
  }

  /** The text, required to be non-blank when present. */
  public Optional<String> nonBlankText() {
    Optional<String> value = text();
    if (value.isPresent() && value.get().isBlank()) {
      error(YamlNode.quote(value.get()) + " (expected: a non-empty value)");
      return Optional.empty();
    }
    return value;
  }

  /**
   * The text interpreted by {@code parser}, whose {@link IllegalArgumentException} message (in
   * the style {@code value (expected: ...)}) becomes the error.
   */
  public <T> Optional<T> parsed(Function<String, T> parser) {
    Optional<String> value = text();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(value.get()));
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return Optional.empty();
    }
  }

  public Optional<Integer> integer(int min) {
    return parsed(s -> {
      int n;
      try {
        n = Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            YamlNode.quote(s) + " (expected: an integer >= " + min + ")");
      }
      if (n < min) {
        throw new IllegalArgumentException(n + " (expected: an integer >= " + min + ")");
      }
      return n;
    });
  }

  public Optional<Double> positiveNumber() {
    return parsed(s -> {
      double n;
      try {
        n = Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(YamlNode.quote(s) + " (expected: a number > 0)");
      }
      if (!(n > 0) || Double.isInfinite(n)) {
        throw new IllegalArgumentException(s + " (expected: a number > 0)");
      }
      return n;
    });
  }

  /** A positive duration such as {@code 500ms}, {@code 5s} or {@code PT5S}. */
  public Optional<Duration> duration() {
    return parsed(s -> {
      Duration d = ConfigLoader.parseDuration(s);
      if (d.isZero()) {
        throw new IllegalArgumentException(YamlNode.quote(s) + " (expected: a duration > 0)");
      }
      return d;
    });
  }

  public Optional<HostPort> hostPort() {
    return parsed(HostPort::parse);
  }

  /** One of the allowed spellings, mapped to its value; the error lists them all. */
  public <E> Optional<E> oneOf(Map<String, E> allowed) {
    return parsed(s -> {
      E value = allowed.get(s.strip());
      if (value == null) {
        throw new IllegalArgumentException(
            YamlNode.quote(s) + " " + Suggestions.expected(s.strip(), allowed.keySet()));
      }
      return value;
    });
  }

  /** One of the allowed names, as written. */
  public Optional<String> oneOf(List<String> names) {
    Map<String, String> allowed = new LinkedHashMap<>();
    names.forEach(n -> allowed.put(n, n));
    return oneOf(allowed);
  }

  /** An absolute http or https URL with a host; blank means absent. */
  public Optional<URI> httpUrl() {
    return text().filter(s -> !s.isBlank()).flatMap(s -> {
      String expected = " (expected: an http:// or https:// URL with a host)";
      try {
        URI uri = new URI(s.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return Optional.of(uri);
        }
      } catch (URISyntaxException e) {
        error(YamlNode.quote(s) + ": " + e.getReason() + expected);
        return Optional.empty();
      }
      error(YamlNode.quote(s) + expected);
      return Optional.empty();
    });
  }

  /** A file path resolved against {@code baseDir} (absolute, normalized); blank means absent. */
  public Optional<Path> file(Path baseDir) {
    return text().filter(s -> !s.isBlank()).flatMap(s -> {
      try {
        return Optional.of(baseDir.resolve(s.strip()).toAbsolutePath().normalize());
      } catch (InvalidPathException e) {
        error(YamlNode.quote(s) + " (expected: a file path: " + e.getReason() + ")");
        return Optional.empty();
      }
    });
  }

  /** This value as a mapping with the given keys; absent or wrong: an empty mapping. */
  public MappingReader mapping(List<String> knownKeys) {
    if (node != null && !(node instanceof YamlNode.Mapping)) {
      error(node.describe() + " (expected: a mapping with keys " + String.join(", ", knownKeys)
          + ")");
    }
    YamlNode.Mapping mapping = node instanceof YamlNode.Mapping m ? m : null;
    return new MappingReader(problems, env, key, mapping, line, column, knownKeys);
  }

  /**
   * This value as a mapping when it is one; when it is absent or something else (reported),
   * empty, so that a list item that is not a mapping is skipped rather than read as defaults.
   */
  public Optional<MappingReader> mappingIfValid(List<String> knownKeys) {
    if (node == null) {
      return Optional.empty();
    }
    MappingReader reader = mapping(knownKeys);
    return node instanceof YamlNode.Mapping ? Optional.of(reader) : Optional.empty();
  }

  /** The items of a list; absent or wrong: none. */
  public List<ConfigValue> list() {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof YamlNode.Sequence sequence)) {
      error(node.describe() + " (expected: a list, e.g. [a, b])");
      return List.of();
    }
    List<ConfigValue> items = new ArrayList<>();
    for (YamlNode item : sequence.items()) {
      items.add(new ConfigValue(problems, env, key + "[" + items.size() + "]", item, item.line(),
          item.column()));
    }
    return items;
  }

  /** A mapping of free-form names to single values, such as {@code node.labels}. */
  public Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof YamlNode.Mapping mapping)) {
      error(node.describe() + " (expected: a mapping of names to values, e.g. {team: infra})");
      return out;
    }
    for (YamlNode.Entry entry : mapping.entries().values()) {
      new ConfigValue(problems, env, key + "." + entry.key(), entry.value(), entry.line(),
          entry.column())
          .text()
          .ifPresent(v -> out.put(entry.key(), v));
    }
    return out;
  }
}
