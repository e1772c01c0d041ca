package dev.meshd.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each value and key came from. Jackson's {@code
 * JsonNode} drops source locations, and every config error must name its line.
 *
 * <p>Immutable. Lines and columns are 1-based.
 */
sealed interface YamlNode {

  int line();

  int column();

  /** How the value reads in an error message: a quoted scalar, "a mapping" or "a list". */
  String describe();

  /**
   * A scalar as written (before {@code ${ENV}} substitution).
   *
   * @param isNull YAML null ({@code ~}, {@code null} or nothing after the colon); a quoted
   *     {@code "null"} is the string
   */
  record Scalar(String text, boolean isNull, int line, int column) implements YamlNode {
    @Override
    public String describe() {
      return isNull ? "null" : quote(text);
    }
  }

  /** A mapping; keys keep the file's order so that unknown keys are reported in that order. */
  record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** One key of a mapping, located at the key (where an operator looks for it). */
  record Entry(String key, int line, int column, YamlNode value) {}

  /** Quotes a value for messages, so that empty strings and spaces stay visible. */
  static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
