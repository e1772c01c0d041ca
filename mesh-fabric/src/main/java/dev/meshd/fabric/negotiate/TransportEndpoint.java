package dev.meshd.fabric.negotiate;

import dev.meshd.core.fabric.FabricClass;
import java.util.Objects;

/**
 * What one end publishes for one transport group: the fabric class it would give the link and
 * the opaque endpoint data the other end needs. Immutable.
 *
 * @param fabricClass e.g. {@link FabricClass#RDMA_IB} for a verbs provider on InfiniBand
 * @param data read only by the transport of the same group on the other end
 */
public record TransportEndpoint(FabricClass fabricClass, EndpointData data) {

  public TransportEndpoint {
    Objects.requireNonNull(fabricClass, "fabricClass");
    Objects.requireNonNull(data, "data");
  }
}
