package dev.meshd.fabric.discovery.internal;

import dev.meshd.core.fabric.LinkLayer;
import dev.meshd.core.fabric.RdmaPortState;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the one-line values of an RDMA port's sysfs files: {@code state} ({@code 4: ACTIVE}),
 * {@code phys_state} ({@code 5: LinkUp}), {@code rate} ({@code 200 Gb/sec (4X HDR)}) and
 * {@code link_layer} ({@code InfiniBand}). Each method throws {@link MalformedValueException}
 * with the file and what was expected. Stateless.
 */
public final class SysfsPortParser {

  private static final Pattern CODED = Pattern.compile("(\\d{1,3}):\\s*(\\S.*?)\\s*");
  private static final Pattern RATE =
      Pattern.compile("(\\d{1,6}(?:\\.\\d{1,3})?) Gb/sec(?: \\(.*\\))?\\s*");

  private SysfsPortParser() {}

  /** A file's first line, with the file it came from for error messages. */
  public record Value(Path file, String line) {
    public Value {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(line, "line");
    }
  }

  /** A sysfs value that is not in the kernel's format. */
  public static final class MalformedValueException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedValueException(String message) {
      super(message);
    }
  }

  /** {@code 4: ACTIVE} → ACTIVE; the name must be the one the code stands for. */
  public static RdmaPortState state(Value value) throws MalformedValueException {
    Matcher m = coded(value, "'<code>: <STATE>' such as '4: ACTIVE'");
    RdmaPortState state = RdmaPortState.ofCode(Integer.parseInt(m.group(1)))
        .orElseThrow(() -> malformed(value, "a state code 0-5"));
    if (!state.name().equals(m.group(2))) {
      throw malformed(value, "'" + state.code() + ": " + state.name() + "'");
    }
    return state;
  }

  /** {@code 5: LinkUp} → 5. */
  public static int physStateCode(Value value) throws MalformedValueException {
    return Integer.parseInt(coded(value, "'<code>: <name>' such as '5: LinkUp'").group(1));
  }

  /** {@code 5: LinkUp} → {@code LinkUp}. */
  public static String physStateName(Value value) throws MalformedValueException {
    return coded(value, "'<code>: <name>' such as '5: LinkUp'").group(2);
  }

  /** {@code 200 Gb/sec (4X HDR)} → 200.0. */
  public static double rateGbps(Value value) throws MalformedValueException {
    Matcher m = RATE.matcher(value.line());
    if (!m.matches()) {
      throw malformed(value, "'<N> Gb/sec (<width> <speed>)' such as '200 Gb/sec (4X HDR)'");
    }
    return Double.parseDouble(m.group(1));
  }

  /** {@code InfiniBand}, {@code Ethernet} or {@code Unspecified}. */
  public static LinkLayer linkLayer(Value value) throws MalformedValueException {
    return LinkLayer.ofLabel(value.line().strip())
        .orElseThrow(() -> malformed(value, "InfiniBand, Ethernet or Unspecified"));
  }

  private static Matcher coded(Value value, String expected) throws MalformedValueException {
    Matcher m = CODED.matcher(value.line());
    if (!m.matches()) {
      throw malformed(value, expected);
    }
    return m;
  }

  private static MalformedValueException malformed(Value value, String expected) {
    return new MalformedValueException(
        value.file() + ": '" + abbreviate(value.line()) + "' (expected: " + expected + ")");
  }

  /** Keeps reasons one short line however long the garbage is. */
  static String abbreviate(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= 60 ? printable : printable.substring(0, 57) + "...";
  }
}
