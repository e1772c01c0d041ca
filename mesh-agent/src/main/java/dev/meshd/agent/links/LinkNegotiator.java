package dev.meshd.agent.links;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.LinkStatus;
import java.util.concurrent.CompletableFuture;

/**
 * Negotiates one stage link from this (upstream) agent with the agent of its downstream stage,
 * trying transports in order with their probes. Completes with the status to record: UP or
 * DEGRADED with the transport's measurements and the fallback reasons, or FAILED with why no
 * transport worked; completes exceptionally only when the negotiation itself could not run.
 */
@FunctionalInterface
public interface LinkNegotiator {

  CompletableFuture<LinkStatus> negotiate(LinkRef link, FleetMember upstream,
      FleetMember downstream);
}
