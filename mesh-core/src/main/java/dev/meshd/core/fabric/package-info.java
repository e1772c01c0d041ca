/**
 * The {@code fabric} part of a capability record: interconnect classes with their nominal
 * bandwidths, RDMA ports, GPU peer links and NVLink lanes, gathered in a {@link
 * dev.meshd.core.fabric.FabricInventory}. Plain immutable records; discovery itself lives in
 * {@code mesh-fabric}, except the NVML topology ({@code dev.meshd.core.gpu.NvmlTopologyProbe}),
 * which stays beside the one NVML binding.
 */
package dev.meshd.core.fabric;
