package dev.meshd.sim.fleet;

import dev.meshd.sim.config.SimConfig;
import java.util.SplittableRandom;

/**
 * Delays between cells from Vivaldi-style coordinates: each cell has a position in a plane and a
 * height (its access link), drawn once from the seed; the round trip between two cells is the
 * distance between their positions plus both heights, and within a cell the configured intra-cell
 * RTT. Each message's one-way delay is half the RTT jittered by up to ±noise of itself, plus the
 * payload's transfer time between cells. Immutable after construction; {@link #oneWayNanos}
 * draws from the generator it is given.
 */
public final class Network {

  private final long[][] rttNanos;
  private final double noise;
  private final double bytesPerNano;

  public Network(SimConfig.Network config, int cells, SplittableRandom random) {
    double span = config.span().toNanos();
    double maxHeight = config.maxHeight().toNanos();
    double[] x = new double[cells];
    double[] y = new double[cells];
    double[] h = new double[cells];
    for (int c = 0; c < cells; c++) {
      x[c] = random.nextDouble() * span;
      y[c] = random.nextDouble() * span;
      h[c] = random.nextDouble() * maxHeight;
    }
    rttNanos = new long[cells][cells];
    for (int a = 0; a < cells; a++) {
      for (int b = 0; b < cells; b++) {
        rttNanos[a][b] = a == b ? config.intraCellRtt().toNanos()
            : (long) (Math.hypot(x[a] - x[b], y[a] - y[b]) + h[a] + h[b]);
      }
    }
    noise = config.noise();
    bytesPerNano = config.bandwidthBytesPerS() / 1e9;
  }

  public long rttNanos(int fromCell, int toCell) {
    return rttNanos[fromCell][toCell];
  }

  /** One message's delay from one cell to another, with {@code bytes} of payload. */
  public long oneWayNanos(int fromCell, int toCell, long bytes, SplittableRandom random) {
    double half = rttNanos[fromCell][toCell] / 2.0;
    double jitter = noise == 0 ? 0 : half * noise * (2 * random.nextDouble() - 1);
    double transfer = fromCell == toCell ? 0 : bytes / bytesPerNano;
    return (long) Math.max(0, half + jitter + transfer);
  }
}
