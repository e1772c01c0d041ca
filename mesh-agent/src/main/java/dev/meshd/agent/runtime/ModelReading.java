package dev.meshd.agent.runtime;

import dev.meshd.core.signal.ModelLoad;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one scrape of {@code /metrics} says about one model: its load, and the raw counter a rate
 * is measured from. The counter stays here, in the agent, and never enters a {@link ModelLoad}:
 * on its own it means nothing to a router, and it resets when the runtime restarts. Immutable.
 *
 * @param load the load as read; its decode rate is always empty (one scrape cannot give one)
 * @param generationTokensTotal the runtime's running count of tokens generated for this model
 *     (summed over engines), a monotonic counter; empty when the runtime exports none that grows
 *     while requests decode
 */
public record ModelReading(ModelLoad load, OptionalDouble generationTokensTotal) {

  public ModelReading {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(generationTokensTotal, "generationTokensTotal");
  }

  public String model() {
    return load.model();
  }
}
