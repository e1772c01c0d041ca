package dev.meshd.cli.output;

import java.time.Duration;
import java.util.Locale;

/**
 * Link figures as people read them: bandwidth in decimal units ({@code 12.5GB/s} is 12.5e9
 * bytes per second, as network and interconnect rates are quoted everywhere, unlike the GiB of
 * VRAM), and round-trip times with the precision that matters at their scale. Stateless.
 */
public final class LinkUnits {

  private LinkUnits() {}

  /** {@code 12.5GB/s}, {@code 850.0MB/s}, {@code 3.2kB/s}, {@code 12B/s}. */
  public static String bandwidth(double bytesPerSecond) {
    if (bytesPerSecond >= 1e9) {
      return String.format(Locale.ROOT, "%.1fGB/s", bytesPerSecond / 1e9);
    } else if (bytesPerSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.1fMB/s", bytesPerSecond / 1e6);
    } else if (bytesPerSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1fkB/s", bytesPerSecond / 1e3);
    }
    return Math.round(bytesPerSecond) + "B/s";
  }

  /**
   * {@code 45µs} on one host, {@code 1.5ms} across a rack, {@code 2s} and up as other durations
   * are shown.
   */
  public static String rtt(com.google.protobuf.Duration rtt) {
    Duration value = Duration.ofSeconds(rtt.getSeconds(), rtt.getNanos());
    if (value.compareTo(Duration.ofMillis(1)) < 0) {
      return value.toNanos() / 1_000 + "µs";
    } else if (value.compareTo(Duration.ofSeconds(1)) < 0) {
      return String.format(Locale.ROOT, "%.1fms", value.toNanos() / 1e6);
    }
    return DurationText.format(value);
  }

  /** Whether a protobuf duration is set to something other than zero. */
  public static boolean isSet(com.google.protobuf.Duration d) {
    return d.getSeconds() != 0 || d.getNanos() != 0;
  }
}
