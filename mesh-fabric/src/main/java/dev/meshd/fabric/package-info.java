/**
 * Interconnect discovery (RDMA, libfabric, NVLink, QUIC) and stage-transport negotiation.
 *
 * <p>Discovery ({@code discovery}: sysfs RDMA ports, the GPU topology, and the bounded composite
 * the agent runs them through into the capability record's {@code fabric} part; {@code
 * libfabric}: provider discovery through FFM or {@code fi_info}), the payload-probe contract
 * every transport implements ({@code probe}), negotiation ({@code negotiate}), and the
 * transports: QUIC ({@code quic}, {@code tls}), libfabric over its {@code tcp} provider ({@code
 * libfabric}), and the NVLink probe ({@code nvlink}).
 */
package dev.meshd.fabric;
