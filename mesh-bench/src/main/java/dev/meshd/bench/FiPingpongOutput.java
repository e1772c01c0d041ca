package dev.meshd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the table {@code fi_pingpong} prints, one row per message size:
 *
 * <pre>
 * bytes   #sent   #ack     total       time     MB/sec    usec/xfer   Mxfers/sec
 * 1m      1k      =1k      1.9g        0.47s   4461.30     235.04       0.00
 * </pre>
 *
 * Sizes are binary ({@code 1.5k} = 1536 bytes), as fi_pingpong prints them; {@code MB/sec} is
 * decimal and counts both directions; {@code usec/xfer} is the time over twice the iterations.
 */
public final class FiPingpongOutput {

  private static final Pattern ROW = Pattern.compile(
      "\\s*(\\d+(?:\\.\\d+)?[kmg]?)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+(?:\\.\\d+)?)s"
          + "\\s+(\\d+(?:\\.\\d+)?)\\s+(\\d+(?:\\.\\d+)?)\\s+(\\d+(?:\\.\\d+)?)\\s*");

  /** One row. */
  public record Row(long bytes, double seconds, double megabytesPerSecond,
      double microsPerTransfer) {}

  private FiPingpongOutput() {}

  /** The rows of {@code output}; lines that are not rows (the header, errors) are skipped. */
  public static List<Row> parse(String output) {
    List<Row> rows = new ArrayList<>();
    for (String line : output.lines().toList()) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.add(new Row(size(m.group(1)), Double.parseDouble(m.group(5)),
            Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7))));
      }
    }
    return rows;
  }

  /** {@code 1.5k} → 1536; {@code 64} → 64. */
  static long size(String label) {
    char unit = label.charAt(label.length() - 1);
    int shift = switch (unit) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String number = shift == 0 ? label : label.substring(0, label.length() - 1);
    return Math.round(Double.parseDouble(number) * (1L << shift));
  }
}
