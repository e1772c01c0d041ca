/**
 * The payload probe every stage transport runs before a link is trusted: what to send
 * ({@link dev.meshd.fabric.probe.ProbeSpec}), what came of it
 * ({@link dev.meshd.fabric.probe.ProbeResult}), why it failed
 * ({@link dev.meshd.fabric.probe.FallbackReason}, {@link dev.meshd.fabric.probe.ProbeFailure}),
 * and the payload with its CRC32C ({@link dev.meshd.fabric.probe.ProbePayload}).
 *
 * <p>The probe, over any transport: {@code pings} round trips of a small message give the RTT
 * (median); then {@code messages} messages of {@code messageBytes} each, every one carrying its
 * sequence number and the CRC32C of its bytes, are verified one by one by the receiver, which
 * finally acknowledges the count it verified. Bandwidth is the payload bytes divided by the time
 * from the first bulk send to that final acknowledgement. A receiver that finds a mismatch
 * answers with an error instead, and the sender fails the probe with
 * {@link dev.meshd.fabric.probe.FallbackReason#CHECKSUM_MISMATCH}.
 */
package dev.meshd.fabric.probe;
