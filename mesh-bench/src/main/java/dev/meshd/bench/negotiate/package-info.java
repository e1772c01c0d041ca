/**
 * What {@code mesh-bench fabric-negotiate} puts around the production negotiation code: two
 * agents' QUIC ends in one JVM ({@link dev.meshd.bench.negotiate.QuicEnd}), the in-memory path
 * the negotiation messages take ({@link dev.meshd.bench.negotiate.MemoryPeerChannels}), a
 * decorator that timestamps each call into a transport ({@link
 * dev.meshd.bench.negotiate.TimedTransport}), and the ways the first transport fails ({@link
 * dev.meshd.bench.negotiate.FirstTransport}): the one double ({@link
 * dev.meshd.bench.negotiate.FailingFirstTransport}) and the production libfabric transport.
 */
package dev.meshd.bench.negotiate;
