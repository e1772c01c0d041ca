package dev.meshd.cli.policy;

import dev.meshd.cli.output.Description;
import dev.meshd.proto.v1.Policy;

/** The {@code policy get} text: every field of a {@link Policy}, one per line. Stateless. */
final class PolicyDescription {

  private PolicyDescription() {}

  static String render(Policy policy) {
    return new Description()
        .field("Name", policy.getName())
        .field("Model selector", policy.getModelSelector())
        .field("Strategy", policy.getStrategy())
        .field("Weights", PolicyCells.weights(policy))
        .field("Max queue per target",
            PolicyCells.limit(policy.getAdmission().getMaxQueueDepthPerTarget()))
        .field("Max in-flight per tenant",
            PolicyCells.limit(policy.getAdmission().getMaxInFlightPerTenant()))
        .field("Hedging", policy.getHedging().getEnabled()
            ? "after " + PolicyCells.hedge(policy)
            : "off")
        .field("Revision", Long.toString(policy.getRevision()))
        .render();
  }
}
