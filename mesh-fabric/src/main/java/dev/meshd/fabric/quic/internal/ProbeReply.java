package dev.meshd.fabric.quic.internal;

/**
 * A probe answer handed from the event loop to the probing thread: a PONG, or a PROBE_ACK with
 * the messages and bytes the peer verified. Plain values, so no buffer crosses threads.
 */
record ProbeReply(FrameType type, long sequence, long messages, long bytes) {}
