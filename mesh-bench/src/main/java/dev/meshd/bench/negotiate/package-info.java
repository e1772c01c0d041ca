/**
 * What {@code mesh-bench fabric-negotiate} puts around the production negotiation code: two
 * agents' QUIC ends in one JVM ({@link dev.meshd.bench.negotiate.QuicEnd}), the in-memory path
 * the negotiation messages take ({@link dev.meshd.bench.negotiate.MemoryPeerChannels}), a
 * decorator that timestamps each call into a transport ({@link
 * dev.meshd.bench.negotiate.TimedTransport}), and the one double, a first transport that fails
 * in a chosen way ({@link dev.meshd.bench.negotiate.FailingFirstTransport}).
 */
package dev.meshd.bench.negotiate;
