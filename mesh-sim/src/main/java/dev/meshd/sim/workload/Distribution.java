package dev.meshd.sim.workload;

import java.util.SplittableRandom;

/**
 * A distribution of a non-negative quantity (token counts, sizes), sampled from a generator the
 * caller owns, so that every draw comes from the run's one {@link SplittableRandom} tree. Token
 * counts are {@link #sampleTokens rounded} and clamped as the config says. Immutable.
 */
public sealed interface Distribution {

  double sample(SplittableRandom random);

  /** The exact mean, before rounding and clamping. */
  double mean();

  /** How the config spells it, for {@code generate} and reports. */
  String describe();

  /** round(sample), clamped to {@code [min, max]}. */
  default int sampleTokens(SplittableRandom random, int min, int max) {
    double x = Math.rint(sample(random));
    return (int) Math.max(min, Math.min(max, x));
  }

  /** Always {@code value}. */
  record Constant(double value) implements Distribution {
    public Constant {
      check(value >= 0, "value", value, ">= 0");
    }

    @Override
    public double sample(SplittableRandom random) {
      return value;
    }

    @Override
    public double mean() {
      return value;
    }

    @Override
    public String describe() {
      return "{dist: constant, value: " + value + "}";
    }
  }

  /** Uniform on {@code [min, max)}. */
  record Uniform(double min, double max) implements Distribution {
    public Uniform {
      check(min >= 0, "min", min, ">= 0");
      check(max >= min, "max", max, ">= min");
    }

    @Override
    public double sample(SplittableRandom random) {
      return max == min ? min : min + (max - min) * random.nextDouble();
    }

    @Override
    public double mean() {
      return (min + max) / 2;
    }

    @Override
    public String describe() {
      return "{dist: uniform, min: " + min + ", max: " + max + "}";
    }
  }

  /** Exponential with the given mean. */
  record Exponential(double mean) implements Distribution {
    public Exponential {
      check(mean > 0, "mean", mean, "> 0");
    }

    @Override
    public double sample(SplittableRandom random) {
      return -mean * Math.log(1.0 - random.nextDouble());
    }

    @Override
    public String describe() {
      return "{dist: exponential, mean: " + mean + "}";
    }
  }

  /** exp(N(mu, sigma²)): the usual shape of prompt and output lengths. */
  record LogNormal(double mu, double sigma) implements Distribution {
    public LogNormal {
      check(Double.isFinite(mu), "mu", mu, "a finite number");
      check(sigma >= 0, "sigma", sigma, ">= 0");
    }

    @Override
    public double sample(SplittableRandom random) {
      return Math.exp(mu + sigma * Gaussian.next(random));
    }

    @Override
    public double mean() {
      return Math.exp(mu + sigma * sigma / 2);
    }

    @Override
    public String describe() {
      return "{dist: lognormal, mu: " + mu + ", sigma: " + sigma + "}";
    }
  }

  private static void check(boolean ok, String field, double value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: " + expected + ")");
    }
  }

  /** Standard normal draws by Box-Muller, one pair member per call (no cached state). */
  final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom random) {
      double u1 = 1.0 - random.nextDouble(); // (0, 1]
      double u2 = random.nextDouble();
      return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  }
}
