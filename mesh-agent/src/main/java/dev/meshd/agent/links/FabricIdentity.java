package dev.meshd.agent.links;

import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.fabric.FabricInventory;
import java.util.Objects;

/**
 * The part of a capability record a negotiated link depends on, as one number: the host (same
 * host allows NVLink), the gRPC address negotiation dials, and the fabric (RDMA ports, GPU peer
 * links and lanes, libfabric providers, the QUIC endpoint and its fingerprint). A record
 * republished for anything else (GPU memory, runtimes) keeps its identity, so links are not
 * renegotiated every few seconds.
 */
final class FabricIdentity {

  private FabricIdentity() {}

  static long of(CapabilityRecord record) {
    FabricInventory found = record.fabric().inventory();
    // Everything discovery found but its reasons (words that change without the fabric doing so).
    return Objects.hash(record.hostId(), record.grpcAddress(), found.rdmaPorts(),
        found.gpuPeerLinks(), found.nvlinkLanes(), found.libfabricProviders(),
        record.fabric().quicEndpoint());
  }
}
