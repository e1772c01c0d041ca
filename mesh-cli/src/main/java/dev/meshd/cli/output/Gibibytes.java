package dev.meshd.cli.output;

import java.util.Locale;

/**
 * Byte counts as the CLI shows them: GiB (2^30 bytes) with one decimal (DESIGN, "Units": APIs
 * carry bytes, the CLI shows GiB). Stateless.
 */
public final class Gibibytes {

  private static final double BYTES_PER_GIB = 1L << 30;

  private Gibibytes() {}

  /** {@code 80000000000} → {@code 74.5}. */
  public static String format(long bytes) {
    // ROOT: a decimal comma would make the column unreadable for scripts and people alike.
    return String.format(Locale.ROOT, "%.1f", bytes / BYTES_PER_GIB);
  }

  /** {@code 0.0/596.0 GiB}. */
  public static String usedOfTotal(long usedBytes, long totalBytes) {
    return format(usedBytes) + "/" + format(totalBytes) + " GiB";
  }
}
