/**
 * Interconnect discovery (RDMA, libfabric, NVLink, QUIC) and stage-transport negotiation.
 *
 * <p>So far only discovery's first slice exists ({@code discovery}: sysfs RDMA ports and the
 * GPU topology tools' parsers); negotiation, probes and transports are still to come, as is the
 * {@code fabric} part of the capability record being filled in.
 */
package dev.meshd.fabric;
