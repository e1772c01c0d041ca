package dev.meshd.agent.links;

import dev.meshd.core.capability.CapabilityRecord;
import java.util.Objects;

/**
 * The part of a capability record a negotiated link depends on, as one number: the host (same
 * host allows NVLink), the gRPC address negotiation dials, and the fabric. A record republished
 * for anything else (GPU memory, runtimes) keeps its identity, so links are not renegotiated
 * every few seconds.
 */
final class FabricIdentity {

  private FabricIdentity() {}

  static long of(CapabilityRecord record) {
    return Objects.hash(record.hostId(), record.grpcAddress());
  }
}
