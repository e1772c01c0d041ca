/**
 * The {@code fabric} part of a capability record: interconnect classes with their nominal
 * bandwidths, RDMA ports, GPU peer links and NVLink lanes, gathered in a {@link
 * dev.meshd.core.fabric.FabricInventory}. Plain immutable records; discovery itself lives in
 * {@code mesh-fabric}.
 */
package dev.meshd.core.fabric;
