package dev.meshd.agent.runtime;

import dev.meshd.core.signal.ModelLoad;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one scrape of {@code /metrics} says about one model: its load, and the raw figure a decode
 * rate is measured from. That figure stays here, in the agent, and never enters a {@link
 * ModelLoad}: on its own it means nothing to a router (a counter also resets when the runtime
 * restarts). A reading carries at most one such figure, the one the reader prefers among those
 * the runtime exports, so that {@link DecodeRates} measures each window from one kind of figure.
 * Immutable.
 *
 * @param load the load as read; its decode rate is always empty (one scrape cannot give one)
 * @param generationTokensTotal the runtime's running count of tokens generated for this model
 *     (summed over engines), a monotonic counter that grows while requests decode; empty when
 *     the runtime exports none, or exports an inter-token latency histogram
 * @param generationThroughput tokens per second the runtime itself measured over its whole batch
 *     in its last interval (summed over engines), where it exports such a gauge and neither a
 *     histogram nor a counter (older SGLang: {@code sglang:gen_throughput}); 0 when an engine's
 *     last report was not of a decoding interval (idle, or a prefill report); empty otherwise
 * @param interTokenLatency the runtime's inter-token latency histogram ({@code _sum} and {@code
 *     _count}, summed over engines), preferred to both figures above where exported; empty
 *     otherwise
 */
public record ModelReading(ModelLoad load, OptionalDouble generationTokensTotal,
    OptionalDouble generationThroughput, Optional<InterTokenLatency> interTokenLatency) {

  public ModelReading {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(generationTokensTotal, "generationTokensTotal");
    Objects.requireNonNull(generationThroughput, "generationThroughput");
    Objects.requireNonNull(interTokenLatency, "interTokenLatency");
    int figures = (generationTokensTotal.isPresent() ? 1 : 0)
        + (generationThroughput.isPresent() ? 1 : 0) + (interTokenLatency.isPresent() ? 1 : 0);
    if (figures > 1) {
      throw new IllegalArgumentException("a reading carries a histogram, a counter or a "
          + "throughput, not two of them");
    }
  }

  /** A reading with a counter or a throughput (or nothing) to measure from. */
  public ModelReading(ModelLoad load, OptionalDouble generationTokensTotal,
      OptionalDouble generationThroughput) {
    this(load, generationTokensTotal, generationThroughput, Optional.empty());
  }

  /** A reading with a counter (or nothing) to measure from. */
  public ModelReading(ModelLoad load, OptionalDouble generationTokensTotal) {
    this(load, generationTokensTotal, OptionalDouble.empty());
  }

  /** A reading with an inter-token latency histogram to measure from. */
  public ModelReading(ModelLoad load, InterTokenLatency interTokenLatency) {
    this(load, OptionalDouble.empty(), OptionalDouble.empty(),
        Optional.of(interTokenLatency));
  }

  public String model() {
    return load.model();
  }
}
