package dev.meshd.sim.report;

import java.util.Arrays;

/**
 * Durations in nanoseconds counted into log-linear buckets (128 per power of two, so a quantile
 * is within 0.4% of the true value), plus their exact count, sum and maximum: fixed memory
 * whatever the number of requests, and the same counts for the same inputs. Not thread-safe.
 */
public final class LatencyHistogram {

  private static final int SUB_BITS = 7;
  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private double sum;
  private long max;

  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    count++;
    sum += v;
    max = Math.max(max, v);
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    // v in [2^L, 2^(L+1)): shifted right by L-7 it lies in [128, 256), the sub-bucket + 128.
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
    return (shift + 1) * SUB + (int) (v >>> shift) - SUB;
  }

  /** The smallest value of bucket {@code i}. */
  static long lowest(int i) {
    int band = i / SUB;
    return band == 0 ? i : (long) (i % SUB + SUB) << (band - 1);
  }

  private static long width(int i) {
    int band = i / SUB;
    return band == 0 ? 1 : 1L << (band - 1);
  }

  public long count() {
    return count;
  }

  public double meanNanos() {
    return count == 0 ? 0 : sum / count;
  }

  public long maxNanos() {
    return max;
  }

  /** The value at quantile {@code q} (0..1): the middle of its bucket, at most the maximum. */
  public long quantileNanos(double q) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, lowest(i) + width(i) / 2);
      }
    }
    return max;
  }

  /**
   * The distribution as points {@code (value ns, share of values at or below it)}, one per
   * non-empty bucket at the bucket's upper end (the last at the maximum).
   */
  public double[][] cdf() {
    java.util.List<double[]> points = new java.util.ArrayList<>();
    long seen = 0;
    for (int i = 0; i < BUCKETS && seen < count; i++) {
      if (counts[i] > 0) {
        seen += counts[i];
        long upper = Math.min(max, lowest(i) + width(i) - 1);
        points.add(new double[] {upper, (double) seen / count});
      }
    }
    return points.toArray(double[][]::new);
  }

  /** Adds another histogram's counts to this one. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram h && h.count == count && h.sum == sum && h.max == max
        && Arrays.equals(h.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }
}
