package dev.meshd.sim;

import dev.meshd.sim.engine.Simulation;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on stderr: strategy, a bar of simulated time against the run's duration
 * (arrivals stop there; the drain after it shows as 100%), and events per second. Redrawn at
 * most four times a second. Used from the simulation's thread only.
 */
final class ProgressBar implements Simulation.Progress {

  private static final int WIDTH = 30;
  private final PrintStream err;
  private long lastDrawNanos;

  ProgressBar(PrintStream err) {
    this.err = err;
  }

  @Override
  public void update(String strategy, long simNanos, long durationNanos, long events,
      long wallNanos, boolean finished) {
    long now = System.nanoTime();
    if (!finished && now - lastDrawNanos < 250_000_000L) {
      return;
    }
    lastDrawNanos = now;
    double share = Math.min(1.0, simNanos / (double) durationNanos);
    int filled = (int) Math.round(share * WIDTH);
    double rate = wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
    err.printf(Locale.ROOT, "\r%-13s [%s%s] %3.0f%%  sim %.1f s  %,d events  %.2fM events/s%s",
        strategy, "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * share, simNanos / 1e9,
        events, rate / 1e6, finished ? "\n" : "");
    err.flush();
  }
}
