/**
 * Interconnect discovery: what RDMA ports and GPU links a node has, as a {@link
 * dev.meshd.core.fabric.FabricInventory}. Sources never throw for what they read; an absent or
 * unreadable fabric is an empty inventory with reasons. Parsers of tool outputs are in {@code
 * internal}.
 */
package dev.meshd.fabric.discovery;
