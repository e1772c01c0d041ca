/**
 * Interconnect discovery: what RDMA ports and GPU links a node has, as a {@link
 * dev.meshd.core.fabric.FabricInventory}. Every source is a {@link
 * dev.meshd.fabric.discovery.FabricDiscovery}: sysfs ({@link
 * dev.meshd.fabric.discovery.SysfsRdmaDiscovery}), the GPU topology ({@link
 * dev.meshd.fabric.discovery.GpuTopologyDiscovery}: NVML, else the {@code nvidia-smi} tools;
 * {@code rocm-smi} for AMD), and whatever else plugs in; a {@link
 * dev.meshd.fabric.discovery.CompositeFabricDiscovery} runs them side by side, each bounded in
 * time. Sources never throw for what they read; an absent or unreadable fabric is an empty
 * inventory with reasons. Parsers of tool outputs are in {@code internal}.
 */
package dev.meshd.fabric.discovery;
