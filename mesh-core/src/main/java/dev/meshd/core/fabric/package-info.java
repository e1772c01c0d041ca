/**
 * The {@code fabric} part of a capability record ({@link dev.meshd.core.fabric.NodeFabric}):
 * interconnect classes with their nominal bandwidths, RDMA ports, GPU peer links, NVLink lanes
 * and libfabric providers, gathered in a {@link dev.meshd.core.fabric.FabricInventory}, and the
 * agent's QUIC endpoint. Plain immutable records; discovery itself lives in {@code mesh-fabric}.
 */
package dev.meshd.core.fabric;
