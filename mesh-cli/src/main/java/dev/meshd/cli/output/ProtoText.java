package dev.meshd.cli.output;

import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Protobuf enums and timestamps as table cells. Enums show their short form ({@code ALIVE} for
 * {@code NODE_STATE_ALIVE}, DESIGN "Contract details"); a value this CLI does not know (sent by a
 * newer agent) shows its number instead of failing. Stateless.
 */
public final class ProtoText {

  private ProtoText() {}

  /**
   * The enum value's name without its type prefix.
   *
   * @param value the value, possibly {@code UNRECOGNIZED}
   * @param number the wire number, from the message's {@code getXxxValue()}
   * @param prefix the type prefix, e.g. {@code NODE_STATE_}
   */
  public static String shortName(ProtocolMessageEnum value, int number, String prefix) {
    if (!(value instanceof Enum<?> constant) || constant.name().equals("UNRECOGNIZED")) {
      return "UNKNOWN(" + number + ")";
    }
    String name = constant.name();
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** The instant, when the field is set (an unset message field reads as the epoch). */
  public static Optional<Instant> instant(boolean present, Timestamp timestamp) {
    return present
        ? Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()))
        : Optional.empty();
  }

  /** {@code 2025-11-22T07:56:00Z (3m12s ago)}, or {@code -} when absent. */
  public static String instantWithAge(Optional<Instant> instant, Instant now) {
    return instant
        .map(at -> at.truncatedTo(ChronoUnit.SECONDS) + " ("
            + DurationText.age(Duration.between(at, now)) + " ago)")
        .orElse("-");
  }
}
