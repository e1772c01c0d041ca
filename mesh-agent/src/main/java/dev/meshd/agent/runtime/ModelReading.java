package dev.meshd.agent.runtime;

import dev.meshd.core.signal.ModelLoad;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one scrape of {@code /metrics} says about one model: its load, and the raw figure a decode
 * rate is measured from. That figure stays here, in the agent, and never enters a {@link
 * ModelLoad}: on its own it means nothing to a router (a counter also resets when the runtime
 * restarts). Immutable.
 *
 * @param load the load as read; its decode rate is always empty (one scrape cannot give one)
 * @param generationTokensTotal the runtime's running count of tokens generated for this model
 *     (summed over engines), a monotonic counter that grows while requests decode; empty when
 *     the runtime exports none
 * @param generationThroughput tokens per second the runtime itself measured over its whole batch
 *     in its last interval (summed over engines), where it exports such a gauge and no counter
 *     (older SGLang: {@code sglang:gen_throughput}); 0 when an engine's last report was not of a
 *     decoding interval (idle, or a prefill report); empty otherwise, always when {@code
 *     generationTokensTotal} is present
 */
public record ModelReading(ModelLoad load, OptionalDouble generationTokensTotal,
    OptionalDouble generationThroughput) {

  public ModelReading {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(generationTokensTotal, "generationTokensTotal");
    Objects.requireNonNull(generationThroughput, "generationThroughput");
    if (generationTokensTotal.isPresent() && generationThroughput.isPresent()) {
      throw new IllegalArgumentException("a reading carries a counter or a throughput, not both");
    }
  }

  /** A reading with a counter (or nothing) to measure from. */
  public ModelReading(ModelLoad load, OptionalDouble generationTokensTotal) {
    this(load, generationTokensTotal, OptionalDouble.empty());
  }

  public String model() {
    return load.model();
  }
}
