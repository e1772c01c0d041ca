package dev.meshd.agent.runtime.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Parser for the Prometheus text exposition format (version 0.0.4), the format vLLM, SGLang and
 * TGI serve on {@code /metrics}. Keeps only the samples whose metric name the caller wants, so a
 * scrape of a runtime with hundreds of histogram buckets allocates little. Comments ({@code #
 * HELP}, {@code # TYPE}) and blank lines are skipped; anything else malformed fails the whole
 * body with the line number, because a runtime that serves garbage must not be trusted for one
 * number of it. Stateless.
 *
 * <p>Written here rather than taken from a library: the Prometheus Java client only writes this
 * format, and the subset read here (name, labels with escapes, float value, optional timestamp)
 * is small.
 */
public final class PrometheusText {

  private static final int MAX_LINE = 64 * 1024;
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");

  private PrometheusText() {}

  public static List<MetricSample> parse(String body, Predicate<String> wanted)
      throws MetricsFormatException {
    List<MetricSample> samples = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < body.length()) {
      int end = body.indexOf('\n', start);
      if (end < 0) {
        end = body.length();
      }
      lineNumber++;
      String line = body.substring(start, end);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.length() > MAX_LINE) {
        throw new MetricsFormatException(lineNumber, "longer than " + MAX_LINE + " characters");
      }
      MetricSample sample = new LineParser(line, lineNumber).parse(wanted);
      if (sample != null) {
        samples.add(sample);
      }
    }
    return samples;
  }

  /** One sample line; not thread-safe, used once. */
  private static final class LineParser {
    private final String line;
    private final int lineNumber;
    private int pos;

    LineParser(String line, int lineNumber) {
      this.line = line;
      this.lineNumber = lineNumber;
    }

    MetricSample parse(Predicate<String> wanted) throws MetricsFormatException {
      skipSpaces();
      String name = name();
      Map<String, String> labels = Map.of();
      if (pos < line.length() && line.charAt(pos) == '{') {
        labels = labels();
      }
      if (pos >= line.length() || !isSpace(line.charAt(pos))) {
        throw error("expected a space and a value after " + name);
      }
      skipSpaces();
      String valueText = token();
      double value = value(valueText);
      skipSpaces();
      if (pos < line.length()) {
        String timestamp = token();
        if (!TIMESTAMP.matcher(timestamp).matches()) {
          throw error("timestamp \"" + timestamp + "\" (expected: integer milliseconds)");
        }
        skipSpaces();
        if (pos < line.length()) {
          throw error("unexpected text after the timestamp: \"" + line.substring(pos) + "\"");
        }
      }
      return wanted.test(name) ? new MetricSample(name, labels, value) : null;
    }

    private String name() throws MetricsFormatException {
      int from = pos;
      while (pos < line.length() && isNameChar(line.charAt(pos), pos == from)) {
        pos++;
      }
      if (pos == from) {
        throw error("expected a metric name, found \"" + preview() + "\"");
      }
      return line.substring(from, pos);
    }

    private Map<String, String> labels() throws MetricsFormatException {
      Map<String, String> labels = new LinkedHashMap<>();
      pos++; // '{'
      skipSpaces();
      while (pos < line.length() && line.charAt(pos) != '}') {
        int from = pos;
        while (pos < line.length() && isNameChar(line.charAt(pos), pos == from)
            && line.charAt(pos) != ':') {
          pos++;
        }
        if (pos == from) {
          throw error("expected a label name, found \"" + preview() + "\"");
        }
        String key = line.substring(from, pos);
        skipSpaces();
        expect('=');
        skipSpaces();
        expect('"');
        labels.put(key, quoted());
        skipSpaces();
        if (pos < line.length() && line.charAt(pos) == ',') {
          pos++;
          skipSpaces();
        } else if (pos < line.length() && line.charAt(pos) != '}') {
          throw error("expected ',' or '}' after label " + key);
        }
      }
      expect('}');
      return labels;
    }

    private String quoted() throws MetricsFormatException {
      StringBuilder value = new StringBuilder();
      while (pos < line.length()) {
        char c = line.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (pos >= line.length()) {
            break;
          }
          char escaped = line.charAt(pos++);
          switch (escaped) {
            case 'n' -> value.append('\n');
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            default -> throw error("unknown escape \\" + escaped + " in a label value");
          }
        } else {
          value.append(c);
        }
      }
      throw error("unterminated label value");
    }

    private double value(String text) throws MetricsFormatException {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> {
          if (!NUMBER.matcher(text).matches()) {
            throw error("value \"" + text + "\" is not a number");
          }
          yield Double.parseDouble(text);
        }
      };
    }

    private String token() {
      int from = pos;
      while (pos < line.length() && !isSpace(line.charAt(pos))) {
        pos++;
      }
      return line.substring(from, pos);
    }

    private void expect(char c) throws MetricsFormatException {
      if (pos >= line.length() || line.charAt(pos) != c) {
        throw error("expected '" + c + "', found \"" + preview() + "\"");
      }
      pos++;
    }

    private void skipSpaces() {
      while (pos < line.length() && isSpace(line.charAt(pos))) {
        pos++;
      }
    }

    private String preview() {
      String rest = line.substring(Math.min(pos, line.length()));
      return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
    }

    private MetricsFormatException error(String message) {
      return new MetricsFormatException(lineNumber, message);
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isNameChar(char c, boolean first) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (!first && c >= '0' && c <= '9');
    }
  }
}
