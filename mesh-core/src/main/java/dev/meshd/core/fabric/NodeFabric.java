package dev.meshd.core.fabric;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code fabric} part of a capability record: what discovery found of the node's
 * interconnects, and where its QUIC stage transport listens when it has one.
 *
 * <p>Absent parts are empty, never null, so that a record from an agent older than the fabric
 * part (schema 1) reads as "nothing published" rather than failing. Immutable.
 *
 * @param inventory RDMA ports, GPU peer links, NVLink lanes, libfabric providers and the
 *     reasons for what is missing, as discovery found them
 * @param quicEndpoint the agent's QUIC endpoint with its certificate fingerprint; empty until
 *     the agent has a certificate to publish (a QUIC class is only offered with one)
 */
public record NodeFabric(FabricInventory inventory, Optional<QuicEndpoint> quicEndpoint) {

  private static final NodeFabric EMPTY =
      new NodeFabric(FabricInventory.empty(), Optional.empty());

  public NodeFabric {
    inventory = Objects.requireNonNullElse(inventory, FabricInventory.empty());
    quicEndpoint = Objects.requireNonNullElse(quicEndpoint, Optional.empty());
  }

  /** Nothing discovered, no QUIC endpoint. */
  public static NodeFabric empty() {
    return EMPTY;
  }

  /** What discovery found, without a QUIC endpoint. */
  public static NodeFabric of(FabricInventory inventory) {
    return new NodeFabric(Objects.requireNonNull(inventory, "inventory"), Optional.empty());
  }

  /** A copy with {@code endpoint} as the QUIC endpoint (empty removes it). */
  public NodeFabric withQuicEndpoint(Optional<QuicEndpoint> endpoint) {
    return new NodeFabric(inventory, Objects.requireNonNull(endpoint, "endpoint"));
  }

  /**
   * The classes the node can offer a stage link now, in {@link FabricClass} declaration order
   * (fastest group first): the inventory's ({@link FabricInventory#fabricClasses()}) and
   * {@link FabricClass#QUIC} when there is a QUIC endpoint.
   */
  public Set<FabricClass> fabricClasses() {
    Set<FabricClass> classes = EnumSet.noneOf(FabricClass.class);
    classes.addAll(inventory.fabricClasses());
    if (quicEndpoint.isPresent()) {
      classes.add(FabricClass.QUIC);
    }
    return Collections.unmodifiableSet(classes);
  }
}
