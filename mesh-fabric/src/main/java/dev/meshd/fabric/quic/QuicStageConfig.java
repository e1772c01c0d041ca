package dev.meshd.fabric.quic;

import dev.meshd.fabric.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the QUIC stage transport, the same on both ends of a link.
 *
 * @param maxFrameBytes largest payload of one frame a receiver accepts; a larger declared
 *     length closes the stream before the bytes are read
 * @param connectionWindowBytes QUIC connection flow-control window (initial_max_data): how
 *     much a peer may send before this end has consumed it, all streams together
 * @param streamWindowBytes QUIC stream flow-control window (initial_max_stream_data_bidi_*)
 * @param sendBufferBytes most bytes a sender hands to Netty that QUIC has not yet accepted;
 *     beyond it {@link StageLink#send} waits (backpressure), so nothing queues without bound
 * @param receiveBufferBytes most received bytes waiting for {@link StageLink#receive}; above it
 *     the link stops reading from QUIC, the stream window closes and the peer's send waits
 * @param maxUdpPayloadBytes largest UDP payload sent (max_send_udp_payload_size) and
 *     accepted (max_udp_payload_size); the smaller of the two ends' values applies
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF of each UDP socket; the kernel caps them at
 *     {@code net.core.rmem_max} / {@code wmem_max}
 * @param idleTimeout a connection with no packets for this long is closed by QUIC
 * @param eventLoopThreads threads of the event loop a server or client owns
 */
public record QuicStageConfig(
    int maxFrameBytes,
    long connectionWindowBytes,
    long streamWindowBytes,
    int sendBufferBytes,
    int receiveBufferBytes,
    int maxUdpPayloadBytes,
    int socketBufferBytes,
    Duration idleTimeout,
    int eventLoopThreads) {

  /** QUIC's minimum datagram size (RFC 9000 14): every path must carry it. */
  public static final int MIN_UDP_PAYLOAD_BYTES = 1200;
  /** The largest UDP payload on IPv4 (65535 - 20 IP - 8 UDP). */
  public static final int MAX_UDP_PAYLOAD_BYTES = 65_507;

  public QuicStageConfig {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    requireRange("maxFrameBytes", maxFrameBytes, 1, Integer.MAX_VALUE - 64);
    requireRange("connectionWindowBytes", connectionWindowBytes, 64 << 10, 1L << 32);
    requireRange("streamWindowBytes", streamWindowBytes, 64 << 10, connectionWindowBytes);
    requireRange("sendBufferBytes", sendBufferBytes, 1, Integer.MAX_VALUE);
    requireRange("receiveBufferBytes", receiveBufferBytes, 2, Integer.MAX_VALUE);
    requireRange("maxUdpPayloadBytes", maxUdpPayloadBytes, MIN_UDP_PAYLOAD_BYTES,
        MAX_UDP_PAYLOAD_BYTES);
    requireRange("socketBufferBytes", socketBufferBytes, 64 << 10, 1 << 30);
    requireRange("eventLoopThreads", eventLoopThreads, 1, 16);
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "idleTimeout: " + idleTimeout + " (expected: at least 1 ms)");
    }
  }

  /** Defaults for links inside a data centre (and on loopback). */
  public static QuicStageConfig defaults() {
    return new QuicStageConfig(
        // The probe's largest message: a stage message bigger than this is split by the caller.
        ProbeSpec.MAX_MESSAGE_BYTES,
        // 32 MiB: a few bandwidth-delay products at 10 Gb/s and 1 ms RTT, summed over streams.
        32L << 20,
        // 16 MiB per stream: one link is one stream, so it may use half the connection window.
        16L << 20,
        // 4 MiB: four 1 MiB messages queued keep QUIC busy while the sender prepares the next.
        4 << 20,
        // 8 MiB: a few messages of slack for a consumer that reads in bursts.
        8 << 20,
        // 1350: quiche's default, safe on any Ethernet path (1500 MTU) with tunnels around it.
        1350,
        // 4 MiB: the kernel default (208 KiB) overflows under a burst at these rates and every
        // drop costs QUIC a congestion-window cut; 4 MiB is a common rmem_max.
        4 << 20,
        // 60 s: a stage link carries traffic or probes well within a minute; a peer that
        // vanished without closing is noticed by then even if gossip has not said so.
        Duration.ofSeconds(60),
        // One thread: QUIC's crypto and packet work for a handful of links per agent; the
        // agent's CPU budget is small.
        1);
  }

  public QuicStageConfig withMaxFrameBytes(int bytes) {
    return new QuicStageConfig(bytes, connectionWindowBytes, streamWindowBytes, sendBufferBytes,
        receiveBufferBytes, maxUdpPayloadBytes, socketBufferBytes, idleTimeout, eventLoopThreads);
  }

  public QuicStageConfig withWindows(long connectionBytes, long streamBytes) {
    return new QuicStageConfig(maxFrameBytes, connectionBytes, streamBytes, sendBufferBytes,
        receiveBufferBytes, maxUdpPayloadBytes, socketBufferBytes, idleTimeout, eventLoopThreads);
  }

  public QuicStageConfig withBuffers(int sendBytes, int receiveBytes) {
    return new QuicStageConfig(maxFrameBytes, connectionWindowBytes, streamWindowBytes, sendBytes,
        receiveBytes, maxUdpPayloadBytes, socketBufferBytes, idleTimeout, eventLoopThreads);
  }

  public QuicStageConfig withMaxUdpPayloadBytes(int bytes) {
    return new QuicStageConfig(maxFrameBytes, connectionWindowBytes, streamWindowBytes,
        sendBufferBytes, receiveBufferBytes, bytes, socketBufferBytes, idleTimeout,
        eventLoopThreads);
  }

  public QuicStageConfig withSocketBufferBytes(int bytes) {
    return new QuicStageConfig(maxFrameBytes, connectionWindowBytes, streamWindowBytes,
        sendBufferBytes, receiveBufferBytes, maxUdpPayloadBytes, bytes, idleTimeout,
        eventLoopThreads);
  }

  public QuicStageConfig withIdleTimeout(Duration timeout) {
    return new QuicStageConfig(maxFrameBytes, connectionWindowBytes, streamWindowBytes,
        sendBufferBytes, receiveBufferBytes, maxUdpPayloadBytes, socketBufferBytes, timeout,
        eventLoopThreads);
  }

  public QuicStageConfig withEventLoopThreads(int threads) {
    return new QuicStageConfig(maxFrameBytes, connectionWindowBytes, streamWindowBytes,
        sendBufferBytes, receiveBufferBytes, maxUdpPayloadBytes, socketBufferBytes, idleTimeout,
        threads);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: " + min + "-" + max + ")");
    }
  }
}
