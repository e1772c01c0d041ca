/**
 * The {@code rdma} group of {@code fabric.order}: a stage transport over whichever RDMA
 * provider of libfabric both ends have ({@code verbs;ofi_rxm}, {@code efa}, {@code cxi},
 * {@code psm3}, {@code opx}), whose payload probe writes into the downstream's registered
 * memory with {@code fi_write}. The FFM binding, the endpoints and the probe protocol are the
 * libfabric package's, shared with the {@code tcp} transport; this package chooses the
 * provider and carries what the two ends need of each other (provider, fabric, domain,
 * endpoint address, remote key and address) in the negotiation's endpoint data.
 */
package dev.meshd.fabric.rdma;
