/**
 * Interconnect discovery: what RDMA ports and GPU links a node has, as a {@link
 * dev.meshd.core.fabric.FabricInventory}. Sources never throw for what they read; an absent or
 * unreadable fabric is an empty inventory with reasons. {@link
 * dev.meshd.fabric.discovery.SysfsRdmaDiscovery} reads RDMA ports; {@link
 * dev.meshd.fabric.discovery.GpuTopologyDiscovery} GPU links (NVML, else the {@code nvidia-smi}
 * tools; {@code rocm-smi} for AMD). Parsers of tool outputs are in {@code internal}.
 */
package dev.meshd.fabric.discovery;
