package dev.meshd.cli.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One YAML or JSON document read into a Jackson tree, with the line on which each value starts,
 * so that an error found later in the tree (by the protobuf parser, which knows no lines) can
 * still say where it is. Immutable once parsed.
 */
final class SourceDocument {

  /** The two syntaxes {@code -f} accepts. */
  enum Syntax {
    JSON,
    YAML;

    /**
     * By extension when it says, else by content: a JSON document starts with '{' (YAML would
     * read it too, but Jackson's JSON parser reports JSON mistakes more precisely).
     */
    static Syntax of(String fileName, String text) {
      String name = fileName.toLowerCase(Locale.ROOT);
      if (name.endsWith(".json")) {
        return JSON;
      } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return YAML;
      }
      return text.stripLeading().startsWith("{") ? JSON : YAML;
    }
  }

  // Duplicate detection: a key given twice would otherwise silently keep the last value.
  private static final JsonFactory JSON_FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonFactory YAML_FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode tree;
  private final Map<String, Integer> lineByPointer;

  private SourceDocument(JsonNode tree, Map<String, Integer> lineByPointer) {
    this.tree = tree;
    this.lineByPointer = Map.copyOf(lineByPointer);
  }

  /**
   * Parses {@code text}.
   *
   * @throws SyntaxError when it is not one well-formed document
   */
  static SourceDocument parse(String text, Syntax syntax) {
    JsonFactory factory = syntax == Syntax.JSON ? JSON_FACTORY : YAML_FACTORY;
    // Two passes over text already in memory: one to learn where each value starts, one to
    // build the tree (readTree consumes the tokens without showing their locations).
    Map<String, Integer> lines = lines(factory, text);
    try (JsonParser parser = factory.createParser(text)) {
      JsonNode tree = MAPPER.readTree(parser);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new SyntaxError(OptionalInt.empty(), "empty (expected: one document)");
      }
      return new SourceDocument(tree, lines);
    } catch (JsonProcessingException e) {
      throw SyntaxError.of(e);
    } catch (IOException e) {
      // Reading from a String: only the parser's own exceptions, handled above, can happen.
      throw new UncheckedIOException(e);
    }
  }

  JsonNode tree() {
    return tree;
  }

  /**
   * The line (1-based) where the value at {@code pointer} starts, e.g. {@code /stages/1/nodeId}.
   */
  OptionalInt line(String pointer) {
    Integer line = lineByPointer.get(pointer);
    return line == null ? OptionalInt.empty() : OptionalInt.of(line);
  }

  private static Map<String, Integer> lines(JsonFactory factory, String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = factory.createParser(text)) {
      int depth = 0;
      boolean rootDone = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (rootDone) {
          throw new SyntaxError(
              OptionalInt.of(parser.currentTokenLocation().getLineNr()),
              "a second document (expected: one document per file)");
        }
        // At a field name the pointer already ends in that name: the key's line is the one the
        // user reads as "the field".
        lines.putIfAbsent(
            parser.getParsingContext().pathAsPointer().toString(),
            parser.currentTokenLocation().getLineNr());
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        rootDone = depth == 0 && token != JsonToken.FIELD_NAME;
      }
      return lines;
    } catch (JsonProcessingException e) {
      throw SyntaxError.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text is not one well-formed document; the line when the parser knows it. */
  static final class SyntaxError extends RuntimeException {

    private final OptionalInt line;

    SyntaxError(OptionalInt line, String message) {
      super(message);
      this.line = line;
    }

    static SyntaxError of(JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      return new SyntaxError(
          line > 0 ? OptionalInt.of(line) : OptionalInt.empty(), e.getOriginalMessage());
    }

    OptionalInt line() {
      return line;
    }
  }
}
