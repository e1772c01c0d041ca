package dev.meshd.agent.fabric;

import dev.meshd.fabric.negotiate.Fallback;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The negotiation counters: {@code meshd_fabric_negotiations_total{transport, outcome}} and
 * {@code meshd_fabric_fallbacks_total{transport, reason}}, counted by the upstream end only (the
 * end that decides and, for placements, writes the result), so that a sum over the fleet counts
 * each negotiation once. {@code transport} is the group chosen, {@code none} when the link
 * failed; {@code outcome} is {@code up}, {@code degraded} or {@code failed}; {@code reason} is a
 * fallback's stable label. The link gauges are {@link LinkGauges}. Thread-safe.
 */
public final class FabricMetrics {

  /** The {@code transport} label of a negotiation that chose none. */
  static final String NO_TRANSPORT = "none";

  private final MeterRegistry registry;
  private final LinkGauges links;

  public FabricMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.links = new LinkGauges(registry);
  }

  /** Counts one negotiation this agent led, and each of its fallbacks. */
  public void recordNegotiation(NegotiatedLink link) {
    Counter.builder("meshd.fabric.negotiations")
        .description("Stage-link negotiations this agent led (upstream end), by the transport "
            + "chosen (none when the link failed) and outcome (up, degraded, failed)")
        .tag("transport", link.transport().isEmpty() ? NO_TRANSPORT : link.transport())
        .tag("outcome", link.state().name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
    for (Fallback fallback : link.fallbacks()) {
      Counter.builder("meshd.fabric.fallbacks")
          .description("Transports not used by a negotiation this agent led, by group and "
              + "reason (docs/fabric.md lists the reasons)")
          .tag("transport", fallback.transport())
          .tag("reason", fallback.reason().label())
          .register(registry)
          .increment();
    }
  }

  /** The per-placement-link gauges, for whoever writes placement links. */
  public LinkGauges links() {
    return links;
  }
}
