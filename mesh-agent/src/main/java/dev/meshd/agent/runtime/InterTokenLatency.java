package dev.meshd.agent.runtime;

/**
 * The {@code _sum} and {@code _count} of a runtime's inter-token latency histogram for one model
 * at one scrape, summed over engines: seconds between consecutive output tokens, and how many
 * were observed since the runtime started. Over a window between two scrapes, {@code Δcount /
 * Δsum} is the rate at which a running request received its tokens in that window ({@link
 * DecodeRates}). Immutable.
 *
 * @param sumSeconds the histogram's {@code _sum}, a counter of seconds
 * @param count the histogram's {@code _count}, a counter of observations
 */
public record InterTokenLatency(double sumSeconds, double count) {

  public InterTokenLatency {
    if (!(sumSeconds >= 0) || Double.isInfinite(sumSeconds)) {
      throw new IllegalArgumentException("sumSeconds: " + sumSeconds + " (expected: >= 0)");
    }
    if (!(count >= 0) || Double.isInfinite(count)) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
    }
  }
}
