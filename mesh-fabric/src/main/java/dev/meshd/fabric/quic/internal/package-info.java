/**
 * How the QUIC stage transport works inside: the frame codec ({@link
 * dev.meshd.fabric.quic.internal.FrameCodec}, {@link dev.meshd.fabric.quic.internal.FrameDecoder}),
 * the per-stream handler that answers probes and feeds the link ({@link
 * dev.meshd.fabric.quic.internal.StageStreamHandler}), the link with its backpressure ({@link
 * dev.meshd.fabric.quic.internal.QuicStageLink}), the prober, and the trust managers that pin
 * certificates by fingerprint. Not an API: only {@code dev.meshd.fabric.quic} is.
 */
package dev.meshd.fabric.quic.internal;
