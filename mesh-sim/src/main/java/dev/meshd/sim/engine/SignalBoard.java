package dev.meshd.sim.engine;

import dev.meshd.sim.config.SimConfig;

/**
 * What each worker published last: its runtime figures (queue, running, KV use) and its GPU
 * figures (free VRAM, utilization), kept as rings of the last few publications per worker so
 * that a router can be handed any one still in flight to it (a delivery event names the
 * publication by number). Sized so that no publication is overwritten before its slowest delivery.
 * Not thread-safe.
 */
final class SignalBoard {

  final int runtimeRing;
  final int gpuRing;
  final int[] runtimeCount;
  final long[] runtimeTaken;
  final double[] queue;
  final double[] running;
  final double[] kvUsage;
  final int[] gpuCount;
  final long[] gpuTaken;
  final double[] vramFree;
  final double[] utilization;
  /** Busy time and time at the last GPU publication, for utilization over the period. */
  final double[] busyAtLast;
  final long[] lastGpuNanos;

  SignalBoard(int workers, SimConfig.Signals signals) {
    runtimeRing = ring(signals.runtime());
    gpuRing = ring(signals.gpu());
    runtimeCount = new int[workers];
    runtimeTaken = new long[workers * runtimeRing];
    queue = new double[workers * runtimeRing];
    running = new double[workers * runtimeRing];
    kvUsage = new double[workers * runtimeRing];
    gpuCount = new int[workers];
    gpuTaken = new long[workers * gpuRing];
    vramFree = new double[workers * gpuRing];
    utilization = new double[workers * gpuRing];
    busyAtLast = new double[workers];
    lastGpuNanos = new long[workers];
  }

  private static int ring(SimConfig.SignalPath path) {
    long maxDelay = Math.max(path.intraMax().toNanos(), path.interMax().toNanos());
    return (int) Math.min(1 << 16, maxDelay / path.period().toNanos() + 3);
  }

  /** Records a runtime publication; its number. */
  int publishRuntime(int w, long now, double q, double r, double kv) {
    int k = runtimeCount[w]++;
    int slot = w * runtimeRing + k % runtimeRing;
    runtimeTaken[slot] = now;
    queue[slot] = q;
    running[slot] = r;
    kvUsage[slot] = kv;
    return k;
  }

  int runtimeSlot(int w, int k) {
    return w * runtimeRing + k % runtimeRing;
  }

  int publishGpu(int w, long now, double free, double util) {
    int k = gpuCount[w]++;
    int slot = w * gpuRing + k % gpuRing;
    gpuTaken[slot] = now;
    vramFree[slot] = free;
    utilization[slot] = util;
    return k;
  }

  int gpuSlot(int w, int k) {
    return w * gpuRing + k % gpuRing;
  }
}
