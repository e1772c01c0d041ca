package dev.meshd.sim.fleet;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one GPU worker can do, in the service model's terms (docs/simulation.md): decode at
 * {@code tokensPerS} shared by the running batch, each request at most {@code
 * requestTokensPerS}; prefill at {@code prefillTokensPerS}, one request at a time, pausing decode;
 * at most {@code concurrency} requests admitted; {@code vramBytes} of memory for weights and KV
 * cache; a price per hour. The built-in profiles are for an 8B-parameter model in BF16 and are
 * estimates derived from the datasheets (see docs/simulation.md for the derivation and sources).
 * Immutable.
 *
 * @param name e.g. {@code H100-80G}
 * @param tokensPerS aggregate decode tokens per second of a full batch
 * @param prefillTokensPerS prompt tokens per second
 * @param requestTokensPerS one request's decode ceiling (memory-bound step time); 0: none
 * @param concurrency batch slots
 * @param vramBytes GPU memory
 * @param costPerHour price of one GPU-hour
 * @param batchWindow how long a worker with free slots collects arrivals before admitting them
 */
public record GpuProfile(String name, double tokensPerS, double prefillTokensPerS,
    double requestTokensPerS, int concurrency, long vramBytes, double costPerHour,
    Duration batchWindow) {

  public GpuProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(batchWindow, "batchWindow");
    positive("tokens-per-s", tokensPerS);
    positive("prefill-tokens-per-s", prefillTokensPerS);
    if (!(requestTokensPerS >= 0)) {
      throw new IllegalArgumentException("request-tokens-per-s: " + requestTokensPerS
          + " (expected: >= 0, 0 for no ceiling)");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    if (vramBytes <= 0) {
      throw new IllegalArgumentException("vram-gb: " + vramBytes / 1e9 + " (expected: > 0)");
    }
    if (!(costPerHour >= 0)) {
      throw new IllegalArgumentException("cost-per-hour: " + costPerHour + " (expected: >= 0)");
    }
  }

  private static void positive(String field, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: > 0)");
    }
  }

  /** One request's decode rate when alone: its ceiling, or the whole GPU when it has none. */
  public double soloTokensPerS() {
    return requestTokensPerS > 0 ? Math.min(requestTokensPerS, tokensPerS) : tokensPerS;
  }

  /** Decode throughput with every slot busy. */
  public double fullBatchTokensPerS() {
    return requestTokensPerS > 0 ? Math.min(tokensPerS, concurrency * requestTokensPerS)
        : tokensPerS;
  }

  /**
   * One MIG slice of this GPU when it is split into {@code slices} equal parts: a slice gets
   * 1/slices of compute, memory, slots (rounded up) and price. Real MIG profiles are not all
   * equal (an H100 1g.10gb slice has 1/7 of the SMs and 1/8 of the memory): the equal split is
   * the model's simplification.
   */
  public GpuProfile migSlice(int slices) {
    if (slices <= 1) {
      return this;
    }
    return new GpuProfile(name + "/" + slices, tokensPerS / slices, prefillTokensPerS / slices,
        requestTokensPerS / slices, (concurrency + slices - 1) / slices, vramBytes / slices,
        costPerHour / slices, batchWindow);
  }

  /** Built-in profiles by name; a config's own profiles override them. */
  public static Map<String, GpuProfile> builtIns() {
    Map<String, GpuProfile> all = new LinkedHashMap<>();
    // Estimates for an 8B model in BF16 (weights 16 GB, KV 128 KiB/token), from the datasheet
    // bandwidth and FLOPs (docs/simulation.md): decode is memory-bound at small batches
    // (request ceiling ~ bandwidth x 0.7 / weights), compute-bound at full batch; prefill at
    // ~50% of dense BF16 FLOPs / 16 GFLOP per token.
    all.put("H100-80G", new GpuProfile("H100-80G", 10_000, 30_000, 150, 128, 80_000_000_000L,
        3.00, Duration.ZERO));
    all.put("A100-80G", new GpuProfile("A100-80G", 6_000, 9_500, 90, 96, 80_000_000_000L,
        1.80, Duration.ZERO));
    all.put("L40S-48G", new GpuProfile("L40S-48G", 2_600, 9_000, 38, 64, 48_000_000_000L,
        1.00, Duration.ZERO));
    return all;
  }
}
