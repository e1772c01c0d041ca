package dev.meshd.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming {@link YAMLParser}, which
 * reports the location of every token. Duplicate keys and aliases are reported to the {@link
 * ConfigProblems} and reading goes on; a syntax error ends reading, since nothing after it can be
 * trusted.
 *
 * <p>Not thread-safe; one instance reads one document.
 */
final class YamlTreeReader {

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final ConfigProblems problems;
  private final String emptyExpected;
  private YAMLParser parser;

  YamlTreeReader(ConfigProblems problems) {
    this(problems, "a YAML mapping with at least node.id");
  }

  /** @param emptyExpected what an empty file should have held, for its error message */
  YamlTreeReader(ConfigProblems problems, String emptyExpected) {
    this.problems = problems;
    this.emptyExpected = emptyExpected;
  }

  /** The root node, or empty when the text holds no document or is not valid YAML. */
  Optional<YamlNode> read(String text) {
    try (YAMLParser p = FACTORY.createParser(text)) {
      parser = p;
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add(1, 1, "", "empty file (expected: " + emptyExpected + ")");
        return Optional.empty();
      }
      YamlNode root = readValue(first, "");
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        problems.add(at.getLineNr(), at.getColumnNr(), "",
            "a second YAML document (expected: one document per file)");
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      reportSyntaxError(e, text);
      return Optional.empty();
    } catch (IOException e) {
      // Reading from a String cannot fail with plain I/O; keep the cause visible if it does.
      problems.add(0, 0, "", "cannot parse: " + e.getMessage());
      return Optional.empty();
    }
  }

  private YamlNode readValue(JsonToken token, String path) throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    return switch (token) {
      case START_OBJECT -> readMapping(path, line, column);
      case START_ARRAY -> readSequence(path, line, column);
      case VALUE_NULL -> new YamlNode.Scalar("", true, line, column);
      default -> {
        if (parser.isCurrentAlias()) {
          // Jackson hands an alias over as its anchor name, which would silently become the
          // value; refuse it instead.
          problems.add(line, column, path,
              "*" + parser.getText() + " (expected: a value; YAML aliases are not supported)");
        }
        yield new YamlNode.Scalar(parser.getText(), false, line, column);
      }
    };
  }

  private YamlNode.Mapping readMapping(String path, int line, int column) throws IOException {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String key = parser.currentName();
      JsonLocation at = parser.currentTokenLocation();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      YamlNode value = readValue(parser.nextToken(), keyPath);
      YamlNode.Entry first = entries.get(key);
      if (first != null) {
        problems.add(at.getLineNr(), at.getColumnNr(), keyPath,
            "duplicate key (expected: once per mapping; first at line " + first.line() + ")");
        continue;
      }
      entries.put(key, new YamlNode.Entry(key, at.getLineNr(), at.getColumnNr(), value));
    }
    return new YamlNode.Mapping(entries, line, column);
  }

  private YamlNode.Sequence readSequence(String path, int line, int column) throws IOException {
    List<YamlNode> items = new ArrayList<>();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      items.add(readValue(t, path + "[" + items.size() + "]"));
    }
    return new YamlNode.Sequence(items, line, column);
  }

  private void reportSyntaxError(JsonProcessingException e, String text) {
    // SnakeYAML (Jackson's YAML engine) knows where the problem is; Jackson's own location
    // points at the last good token, often a line too early.
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
      problems.add(mark.getLine() + 1, mark.getColumn() + 1, "",
          "not valid YAML: " + context + marked.getProblem() + hint(text, mark.getLine()));
      return;
    }
    JsonLocation at = e.getLocation();
    String first = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
    problems.add(at == null ? 0 : Math.max(at.getLineNr(), 0),
        at == null ? 0 : Math.max(at.getColumnNr(), 0), "", "not valid YAML: " + first);
  }

  /**
   * The commonest cause with {@code ${ENV}}: braces inside a flow collection ({@code [..]},
   * {@code {..}}) end it, so such values must be quoted.
   */
  private static String hint(String text, int zeroBasedLine) {
    String line = text.lines().skip(zeroBasedLine).findFirst().orElse("");
    return line.contains("${")
        ? " (a ${...} inside [...] or {...} must be quoted: \"${NAME}\")"
        : "";
  }
}
