/**
 * Interconnect discovery (RDMA, libfabric, NVLink, QUIC) and stage-transport negotiation.
 *
 * <p>Empty in the walking skeleton: the fabric issue fills it, and with it the {@code fabric}
 * part of the capability record.
 */
package dev.meshd.fabric;
