/**
 * Interconnect discovery (RDMA, libfabric, NVLink, QUIC) and stage-transport negotiation.
 *
 * <p>So far: discovery's first slice ({@code discovery}: sysfs RDMA ports and the GPU topology
 * tools' parsers), the payload-probe contract every transport implements ({@code probe}), and
 * libfabric ({@code libfabric}: provider discovery through FFM or {@code fi_info}, and the probe
 * over the {@code tcp} provider). Negotiation, the QUIC transport, and filling in the
 * {@code fabric} part of the capability record are still to come.
 */
package dev.meshd.fabric;
