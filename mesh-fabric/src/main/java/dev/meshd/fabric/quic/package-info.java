/**
 * The QUIC stage transport: a {@link dev.meshd.fabric.quic.QuicStageServer} per agent (UDP,
 * TLS 1.3 with the agent's certificate, clients accepted by fingerprint), a
 * {@link dev.meshd.fabric.quic.QuicStageClient} that connects to a peer's
 * {@code QuicEndpoint} and pins its certificate, and the {@link dev.meshd.fabric.quic.StageLink}
 * between them: framed stage messages with checksums and flow control, and the payload probe.
 * How it works is in {@code docs/fabric.md}, "QUIC stage transport".
 */
package dev.meshd.fabric.quic;
