package dev.meshd.sim.workload;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When requests arrive: a stateful generator made afresh for each run from an immutable {@link
 * Spec}, drawing from the generator the run hands it, so every strategy of a run sees the same
 * arrivals. Not thread-safe.
 */
public interface Arrivals {

  /** The next arrival time in nanoseconds from the start, ascending; never negative. */
  long next(SplittableRandom random);

  /** For trace replay, the prompt tokens of the arrival last returned; -1 otherwise. */
  default int promptTokens() {
    return -1;
  }

  /** For trace replay, the output tokens of the arrival last returned; -1 otherwise. */
  default int outputTokens() {
    return -1;
  }

  /** An arrival process as configured. Immutable. */
  sealed interface Spec {
    Arrivals start();

    /** Mean arrivals per second. */
    double meanRate();

    /** The same process at {@code factor} times its rate (for a target load). */
    Spec scaled(double factor);
  }

  /** Exponential gaps at {@code rate} per second. */
  record Poisson(double rate) implements Spec {
    public Poisson {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("rate: " + rate + " (expected: > 0 requests/s)");
      }
    }

    @Override
    public Arrivals start() {
      double meanGapNanos = 1e9 / rate;
      return new Arrivals() {
        private double t;

        @Override
        public long next(SplittableRandom random) {
          t += -meanGapNanos * Math.log(1.0 - random.nextDouble());
          return (long) t;
        }
      };
    }

    @Override
    public double meanRate() {
      return rate;
    }

    @Override
    public Spec scaled(double factor) {
      return new Poisson(rate * factor);
    }
  }

  /**
   * A Markov-modulated Poisson process: in state i arrivals are Poisson at {@code rate}; the
   * state lasts an exponential time of mean {@code meanDwell}, then moves to one of the other
   * states at random (uniformly). Starts in state 0.
   */
  record Mmpp(List<State> states) implements Spec {
    public Mmpp {
      states = List.copyOf(states);
      if (states.isEmpty()) {
        throw new IllegalArgumentException("states: empty (expected: at least one)");
      }
    }

    /** One state: its Poisson rate per second (0 allowed: an idle spell) and mean dwell. */
    public record State(double rate, Duration meanDwell) {
      public State {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
          throw new IllegalArgumentException("rate: " + rate + " (expected: >= 0 requests/s)");
        }
        if (meanDwell.isNegative() || meanDwell.isZero()) {
          throw new IllegalArgumentException("mean-dwell: " + meanDwell + " (expected: > 0)");
        }
      }
    }

    @Override
    public double meanRate() {
      // Every state is left for a uniform other one, so the embedded chain is uniform and each
      // state's share of time is proportional to its mean dwell.
      double time = 0;
      double arrivals = 0;
      for (State s : states) {
        double d = s.meanDwell().toNanos() / 1e9;
        time += d;
        arrivals += d * s.rate();
      }
      return arrivals / time;
    }

    @Override
    public Spec scaled(double factor) {
      return new Mmpp(states.stream().map(s -> new State(s.rate() * factor, s.meanDwell()))
          .toList());
    }

    @Override
    public Arrivals start() {
      return new Arrivals() {
        private double t;
        private int state;
        private double stateEnd = Double.NaN;

        @Override
        public long next(SplittableRandom random) {
          if (Double.isNaN(stateEnd)) {
            stateEnd = dwell(random);
          }
          while (true) {
            double rate = states.get(state).rate();
            double gap = rate == 0 ? Double.POSITIVE_INFINITY
                : -1e9 / rate * Math.log(1.0 - random.nextDouble());
            if (t + gap <= stateEnd) {
              t += gap;
              return (long) t;
            }
            // Memoryless: the draw past the state's end is dropped and the next state draws anew.
            t = stateEnd;
            if (states.size() > 1) {
              int other = random.nextInt(states.size() - 1);
              state = other >= state ? other + 1 : other;
            }
            stateEnd = t + dwell(random);
          }
        }

        private double dwell(SplittableRandom random) {
          return -states.get(state).meanDwell().toNanos() * Math.log(1.0 - random.nextDouble());
        }
      };
    }
  }

  /**
   * A trace replayed with its gaps divided by {@code timeScale} (2: twice as fast); with {@code
   * loop}, replayed again while the run lasts, each pass starting one mean gap after the last one
   * ended (a trace whose requests all arrive at once is never looped). Tokens are the trace's.
   */
  record Replay(Trace trace, double timeScale, boolean loop) implements Spec {
    public Replay {
      if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
        throw new IllegalArgumentException("time-scale: " + timeScale + " (expected: > 0)");
      }
    }

    @Override
    public double meanRate() {
      return trace.rate() * timeScale;
    }

    @Override
    public Spec scaled(double factor) {
      return new Replay(trace, timeScale * factor, loop);
    }

    @Override
    public Arrivals start() {
      double passNanos = trace.size() < 2 ? 0
          : (trace.spanNanos() + trace.spanNanos() / (double) (trace.size() - 1)) / timeScale;
      return new Arrivals() {
        private int index = -1;
        private long pass;

        @Override
        public long next(SplittableRandom random) {
          if (++index == trace.size()) {
            if (!loop || passNanos <= 0) {
              index--;
              return Long.MAX_VALUE;
            }
            index = 0;
            pass++;
          }
          return (long) (pass * passNanos + trace.offsetNanos()[index] / timeScale);
        }

        @Override
        public int promptTokens() {
          return trace.promptTokens()[index];
        }

        @Override
        public int outputTokens() {
          return trace.outputTokens()[index];
        }
      };
    }
  }
}
