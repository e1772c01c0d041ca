package dev.meshd.cli.output;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type and read them: {@link #parse} accepts {@code 500ms}, {@code 10s},
 * {@code 1m30s}, {@code 2h} (and ISO-8601 {@code PT10S}); {@link #format} writes the same compact
 * form; {@link #age} is kubectl-style rounding for the AGE column ({@code 45s}, {@code 3m12s},
 * {@code 2h5m}, {@code 3d4h}). Stateless.
 */
public final class DurationText {

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationText() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the value and the expected forms
   */
  public static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    if (!WHOLE.matcher(value).matches()) {
      throw invalid(text);
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(
            switch (part.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              default -> Duration.ofHours(amount);
            });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid(text);
    }
    return total;
  }

  /** The compact form that {@link #parse} reads back: {@code 10s}, {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration duration) {
    Duration d = duration.abs();
    StringBuilder text = new StringBuilder();
    append(text, d.toHours(), "h");
    append(text, d.toMinutesPart(), "m");
    append(text, d.toSecondsPart(), "s");
    append(text, d.toMillisPart(), "ms");
    if (text.isEmpty()) {
      // Zero, or below a millisecond: nanoseconds are the only unit left that is exact.
      text.append(d.toNanos() == 0 ? "0s" : d.toNanos() + "ns");
    }
    return duration.isNegative() ? "-" + text : text.toString();
  }

  /**
   * kubectl's {@code HumanDuration}: precise while small, coarser as it grows, at most two units.
   * One change: kubectl counts minutes up to three hours ({@code 125m}); here hours start at one
   * hour ({@code 2h5m}), which is what the examples show and reads faster. Up to two
   * seconds in the future counts as now (the agent's and this host's clocks differ a little);
   * further is {@code <invalid>}, a sign the clocks disagree.
   */
  public static String age(Duration age) {
    // Truncated toward zero, as Go's int(d.Seconds()) is: -1.5s still counts as now.
    long seconds = age.toMillis() / 1000;
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = age.toMinutes();
    if (minutes < 10) {
      return twoUnits(minutes, "m", seconds % 60, "s");
    } else if (minutes < 60) {
      return minutes + "m";
    }
    long hours = age.toHours();
    if (hours < 8) {
      return twoUnits(hours, "h", minutes % 60, "m");
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      return twoUnits(hours / 24, "d", hours % 24, "h");
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      return twoUnits(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    return hours / 24 / 365 + "y";
  }

  private static String twoUnits(long major, String majorUnit, long minor, String minorUnit) {
    return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" (expected: a duration such as 500ms, 10s, 1m30s or 2h)");
  }
}
