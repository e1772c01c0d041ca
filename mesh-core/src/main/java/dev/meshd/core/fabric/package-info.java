/**
 * The {@code fabric} part of a capability record ({@link dev.meshd.core.fabric.NodeFabric}):
 * interconnect classes with their nominal bandwidths, RDMA ports, GPU peer links, NVLink lanes
 * and libfabric providers, gathered in a {@link dev.meshd.core.fabric.FabricInventory}, and the
 * agent's QUIC endpoint. Plain immutable records; discovery itself lives in {@code mesh-fabric},
 * except the NVML topology ({@code dev.meshd.core.gpu.NvmlTopologyProbe}), which stays beside
 * the one NVML binding.
 */
package dev.meshd.core.fabric;
