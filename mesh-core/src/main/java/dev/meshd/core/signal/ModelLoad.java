package dev.meshd.core.signal;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The load of one served model on one runtime, as the runtime's {@code /metrics} reported it;
 * summed over the runtime's engines (data-parallel ranks). Immutable.
 *
 * <p>The counts and the KV-cache figure are read from one scrape. The decode rate is not: the
 * observing agent measures it between two scrapes (the growth of the runtime's generated-token
 * counter, divided by the time between them and by the mean of the running requests at both), so
 * it says how fast this runtime decodes one request, not how busy it is now. Raw counters never
 * appear here.
 *
 * @param model the runtime's served model name, e.g. {@code meta-llama/Llama-3.1-8B-Instruct}
 * @param queueDepth requests waiting to be scheduled
 * @param runningRequests requests in the running batch
 * @param kvCacheUsage fraction 0..1 of the KV cache in use (mean over engines); empty when the
 *     runtime does not export it (TGI)
 * @param decodeTokensPerSecond tokens per second that each running request of this model
 *     decodes, as last measured by the observing agent; finite and {@code > 0} when present. It
 *     keeps its last measured value while the model is idle. Empty until two scrapes gave a
 *     window with tokens generated (or, for an SGLang measured from its throughput gauge, a
 *     scrape while it decoded), and always for runtimes that export neither a running count of
 *     generated tokens nor their own throughput (TGI)
 */
public record ModelLoad(
    String model,
    double queueDepth,
    double runningRequests,
    OptionalDouble kvCacheUsage,
    OptionalDouble decodeTokensPerSecond) {

  public ModelLoad {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(kvCacheUsage, "kvCacheUsage");
    Objects.requireNonNull(decodeTokensPerSecond, "decodeTokensPerSecond");
    requireNonNegative("queueDepth", queueDepth);
    requireNonNegative("runningRequests", runningRequests);
    if (kvCacheUsage.isPresent()) {
      double usage = kvCacheUsage.getAsDouble();
      if (!(usage >= 0 && usage <= 1)) {
        throw new IllegalArgumentException("kvCacheUsage: " + usage + " (expected: 0..1)");
      }
    }
    if (decodeTokensPerSecond.isPresent()) {
      double rate = decodeTokensPerSecond.getAsDouble();
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException(
            "decodeTokensPerSecond: " + rate + " (expected: a finite value > 0)");
      }
    }
  }

  /**
   * A load whose decode rate was not measured (empty {@link #decodeTokensPerSecond}): what a
   * single scrape, a runtime without a generated-token counter, or a simulated target gives.
   */
  public ModelLoad(
      String model, double queueDepth, double runningRequests, OptionalDouble kvCacheUsage) {
    this(model, queueDepth, runningRequests, kvCacheUsage, OptionalDouble.empty());
  }

  /** This load with {@code decodeTokensPerSecond} instead of its own. */
  public ModelLoad withDecodeTokensPerSecond(OptionalDouble decodeTokensPerSecond) {
    return new ModelLoad(model, queueDepth, runningRequests, kvCacheUsage, decodeTokensPerSecond);
  }

  private static void requireNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: a finite value >= 0)");
    }
  }
}
