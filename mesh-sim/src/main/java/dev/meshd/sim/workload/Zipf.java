package dev.meshd.sim.workload;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 0..n-1: rank k is drawn with weight 1/(k+1)^s, so with s near 1 a few
 * tenants send most requests. s = 0 is uniform. Sampled by binary search over the cumulative
 * weights. Immutable.
 */
public final class Zipf {

  private final double[] cumulative;

  public Zipf(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    if (!(s >= 0)) {
      throw new IllegalArgumentException("s: " + s + " (expected: >= 0)");
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, s);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  public int size() {
    return cumulative.length;
  }

  /** The probability of rank {@code k}. */
  public double probability(int k) {
    return cumulative[k] - (k == 0 ? 0 : cumulative[k - 1]);
  }

  public int sample(SplittableRandom random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
