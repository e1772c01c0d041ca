package dev.meshd.sim.engine;

import dev.meshd.sim.config.SimConfig;
import dev.meshd.sim.fleet.Fleet;
import java.util.SplittableRandom;

/**
 * What each worker published and when each publication reaches each cell's router: runtime
 * figures (queue, running, KV use) and GPU figures (free VRAM, utilization), kept as rings of the
 * last few publications per worker, and with each publication the delay to every router, drawn
 * when it is published. A router does not get an event per publication: it asks, when it rebuilds
 * its columns, for the latest publication of a worker that has reached it by then ({@link
 * #latestRuntime}, {@link #latestGpu}). That is what a delivery event per router gave, an older
 * publication arriving after a newer one being ignored, without the events (128 per publication
 * at 128 cells). Rings are sized so that no publication still in flight to a router, nor the
 * newest one that has arrived, is overwritten. Not thread-safe.
 */
final class SignalBoard {

  private final Fleet fleet;
  private final int cells;
  final Path runtime;
  final Path gpu;
  final long[] runtimeTaken;
  final double[] queue;
  final double[] running;
  final double[] kvUsage;
  /** Tokens/s per running request over the last window, NaN until measured (as the agent). */
  final double[] decodeRate;
  /** Per worker: tokens generated and running requests at its last runtime publication. */
  final double[] generatedAtLast;
  final double[] runningAtLast;
  final long[] lastRuntimeNanos;
  final double[] lastDecodeRate;
  final long[] gpuTaken;
  final double[] vramFree;
  final double[] utilization;
  /** Busy time and time at the last GPU publication, for utilization over the period. */
  final double[] busyAtLast;
  final long[] lastGpuNanos;

  SignalBoard(Fleet fleet, SimConfig.Signals signals) {
    this.fleet = fleet;
    this.cells = fleet.cells;
    int workers = fleet.size;
    runtime = new Path(signals.runtime(), workers, cells);
    gpu = new Path(signals.gpu(), workers, cells);
    runtimeTaken = new long[workers * runtime.ring];
    queue = new double[workers * runtime.ring];
    running = new double[workers * runtime.ring];
    kvUsage = new double[workers * runtime.ring];
    decodeRate = new double[workers * runtime.ring];
    generatedAtLast = new double[workers];
    runningAtLast = new double[workers];
    lastRuntimeNanos = new long[workers];
    lastDecodeRate = new double[workers];
    java.util.Arrays.fill(lastDecodeRate, Double.NaN);
    gpuTaken = new long[workers * gpu.ring];
    vramFree = new double[workers * gpu.ring];
    utilization = new double[workers * gpu.ring];
    busyAtLast = new double[workers];
    lastGpuNanos = new long[workers];
  }

  /**
   * One signal type's publications: how many each worker made, and the delay of each of the
   * recent ones to every cell's router, in a ring of {@link #ring} per worker.
   */
  static final class Path {
    final int ring;
    final long intraMin;
    final long intraMax;
    final long interMin;
    final long interMax;
    final int[] count;
    /** Delays in ns, in int when the longest fits (it does for delays under 2.1 s). */
    private final int[] delays;
    private final long[] longDelays;
    private final int cells;

    Path(SimConfig.SignalPath path, int workers, int cells) {
      this.cells = cells;
      intraMin = path.intraMin().toNanos();
      intraMax = path.intraMax().toNanos();
      interMin = path.interMin().toNanos();
      interMax = path.interMax().toNanos();
      long maxDelay = Math.max(intraMax, interMax);
      // In flight at any time: the publications of the last maxDelay, at most maxDelay / period
      // + 1 of them, publication 0 at time 0 aside (it is no one's news); plus the newest that
      // has arrived; plus one for good measure.
      ring = (int) Math.min(1 << 16, maxDelay / path.period().toNanos() + 3);
      count = new int[workers];
      long slots = (long) workers * ring * cells;
      if (slots > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("signals: " + workers + " workers x " + cells
            + " cells x " + ring + " publications in flight is too many to track");
      }
      boolean fitsInt = maxDelay <= Integer.MAX_VALUE;
      delays = fitsInt ? new int[(int) slots] : null;
      longDelays = fitsInt ? null : new long[(int) slots];
    }

    int slot(int w, int k) {
      return w * ring + k % ring;
    }

    long delay(int w, int k, int c) {
      int i = slot(w, k) * cells + c;
      return delays != null ? delays[i] : longDelays[i];
    }

    /**
     * Draws publication k's delay to every router, in cell order (the order, and so the draws,
     * of the delivery events this replaces).
     */
    void drawDelays(int w, int k, int workerCell, SplittableRandom random) {
      int base = slot(w, k) * cells;
      for (int c = 0; c < cells; c++) {
        boolean intra = c == workerCell;
        long min = intra ? intraMin : interMin;
        long max = intra ? intraMax : interMax;
        long d = max == min ? min : min + (long) (random.nextDouble() * (max - min));
        if (delays != null) {
          delays[base + c] = (int) d;
        } else {
          longDelays[base + c] = d;
        }
      }
    }

    /** The longest delay to any router. */
    long maxDelay() {
      return Math.max(intraMax, interMax);
    }

    /**
     * When publication {@code k} of worker {@code w}, taken at {@code t}, reaches cell {@code
     * c}'s router; {@code t} when that is at or before {@code now} whatever its delay (its delay
     * may then have left the ring).
     */
    long arrival(int w, int k, int c, long t, long now, int workerCell) {
      long max = c == workerCell ? intraMax : interMax;
      return t + max <= now ? t : t + delay(w, k, c);
    }

    /**
     * The newest publication of worker {@code w} that has reached cell {@code c}'s router by
     * {@code now}, given that {@code shown} (at least) had: the one a router that took every
     * delivery event as it came, ignoring the older ones that came late, would show.
     */
    int latest(int w, int c, int shown, long[] taken, long now, int workerCell) {
      boolean intra = c == workerCell;
      long min = intra ? intraMin : interMin;
      long max = intra ? intraMax : interMax;
      int newest = count[w] - 1;
      for (int k = newest; k > shown; k--) {
        if (newest - k >= ring) {
          throw new IllegalStateException("worker " + w + ": publication " + k
              + " fell out of the ring while in flight");
        }
        long t = taken[slot(w, k)];
        if (t + max <= now) {
          return k; // whatever its delay, it has arrived
        }
        if (t + min <= now && t + delay(w, k, c) <= now) {
          return k;
        }
      }
      return shown;
    }
  }

  /** Records a runtime publication and draws its delays to the routers; its number. */
  int publishRuntime(int w, long now, double q, double r, double kv, double generated,
      SplittableRandom delays) {
    int k = runtime.count[w]++;
    int slot = runtime.slot(w, k);
    runtimeTaken[slot] = now;
    queue[slot] = q;
    running[slot] = r;
    kvUsage[slot] = kv;
    lastDecodeRate[w] = decodeRate(generated - generatedAtLast[w], now - lastRuntimeNanos[w],
        runningAtLast[w], r, lastDecodeRate[w]);
    decodeRate[slot] = lastDecodeRate[w];
    generatedAtLast[w] = generated;
    runningAtLast[w] = r;
    lastRuntimeNanos[w] = now;
    if (delays != null) {
      runtime.drawDelays(w, k, fleet.cell[w], delays);
    }
    return k;
  }

  /**
   * Tokens/s per running request over a window, as the agent measures it from a runtime's
   * generation counter: the tokens generated in the window, per second, per mean running request
   * (the mean of the readings at both ends). A window without tokens or without running requests
   * keeps {@code last} (NaN until a first measurement).
   */
  static double decodeRate(double tokens, long windowNanos, double runningBefore,
      double runningNow, double last) {
    double meanRunning = (runningBefore + runningNow) / 2;
    return tokens > 0 && meanRunning > 0 && windowNanos > 0
        ? tokens / (windowNanos / 1e9) / meanRunning : last;
  }

  /** Records a GPU publication and draws its delays to the routers; its number. */
  int publishGpu(int w, long now, double free, double util, SplittableRandom delays) {
    int k = gpu.count[w]++;
    int slot = gpu.slot(w, k);
    gpuTaken[slot] = now;
    vramFree[slot] = free;
    utilization[slot] = util;
    if (delays != null) {
      gpu.drawDelays(w, k, fleet.cell[w], delays);
    }
    return k;
  }

  long runtimeArrival(int w, int k, int c, long t, long now) {
    return runtime.arrival(w, k, c, t, now, fleet.cell[w]);
  }

  long gpuArrival(int w, int k, int c, long t, long now) {
    return gpu.arrival(w, k, c, t, now, fleet.cell[w]);
  }

  int runtimeSlot(int w, int k) {
    return runtime.slot(w, k);
  }

  int gpuSlot(int w, int k) {
    return gpu.slot(w, k);
  }

  /** The newest runtime publication of {@code w} at cell {@code c}'s router at {@code now}. */
  int latestRuntime(int w, int c, int shown, long now) {
    return runtime.latest(w, c, shown, runtimeTaken, now, fleet.cell[w]);
  }

  /** The newest GPU publication of {@code w} at cell {@code c}'s router at {@code now}. */
  int latestGpu(int w, int c, int shown, long now) {
    return gpu.latest(w, c, shown, gpuTaken, now, fleet.cell[w]);
  }
}
