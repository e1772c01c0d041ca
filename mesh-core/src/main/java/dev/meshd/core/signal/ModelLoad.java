package dev.meshd.core.signal;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The load of one served model on one runtime, as the runtime's {@code /metrics} reported it;
 * summed over the runtime's engines (data-parallel ranks).
 *
 * @param model the runtime's served model name, e.g. {@code meta-llama/Llama-3.1-8B-Instruct}
 * @param queueDepth requests waiting to be scheduled
 * @param runningRequests requests in the running batch
 * @param kvCacheUsage fraction 0..1 of the KV cache in use (mean over engines); empty when the
 *     runtime does not export it (TGI)
 */
public record ModelLoad(
    String model, double queueDepth, double runningRequests, OptionalDouble kvCacheUsage) {

  public ModelLoad {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(kvCacheUsage, "kvCacheUsage");
    requireNonNegative("queueDepth", queueDepth);
    requireNonNegative("runningRequests", runningRequests);
    if (kvCacheUsage.isPresent()) {
      double usage = kvCacheUsage.getAsDouble();
      if (!(usage >= 0 && usage <= 1)) {
        throw new IllegalArgumentException("kvCacheUsage: " + usage + " (expected: 0..1)");
      }
    }
  }

  private static void requireNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: a finite value >= 0)");
    }
  }
}
