/**
 * Interconnect discovery (RDMA, libfabric, NVLink, QUIC) and stage-transport negotiation.
 *
 * <p>So far discovery exists ({@code discovery}: sysfs RDMA ports, the GPU topology tools, and
 * the bounded composite the agent runs them through into the capability record's {@code
 * fabric} part); negotiation, probes and transports are still to come.
 */
package dev.meshd.fabric;
