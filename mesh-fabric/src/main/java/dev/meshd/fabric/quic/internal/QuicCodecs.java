package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.quic.QuicStageConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.incubator.codec.quic.EpollQuicUtils;
import io.netty.incubator.codec.quic.QuicCodecBuilder;
import io.netty.incubator.codec.quic.SegmentedDatagramPacketAllocator;
import java.util.concurrent.TimeUnit;

/** Applies a {@link QuicStageConfig} to the QUIC codec and the UDP socket, alike on both ends. */
public final class QuicCodecs {
  /** ALPN of the stage transport; a new incompatible framing gets a new version. */
  public static final String ALPN = "meshd-stage/1";
  /** Datagrams per GSO send: quiche fills them from one connection's send loop. */
  private static final int GSO_SEGMENTS = 16;
  /** With GRO the kernel hands over up to 64 KiB of coalesced datagrams in one read. */
  private static final int GRO_READ_BYTES = 65_535;

  private QuicCodecs() {}

  public static <B extends QuicCodecBuilder<B>> B configure(B builder, QuicStageConfig config) {
    return builder
        .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .maxSendUdpPayloadSize(config.maxUdpPayloadBytes())
        .maxRecvUdpPayloadSize(config.maxUdpPayloadBytes())
        .initialMaxData(config.connectionWindowBytes())
        .initialMaxStreamDataBidirectionalLocal(config.streamWindowBytes())
        .initialMaxStreamDataBidirectionalRemote(config.streamWindowBytes())
        // A link is one stream on its own connection; a few spare for what comes next.
        .initialMaxStreamsBidirectional(4)
        .initialMaxStreamsUnidirectional(0);
  }

  /**
   * The UDP socket's options. Where the kernel can (epoll with UDP GSO/GRO), datagrams go out
   * and come in by the batch: without it every 1350-byte packet costs a system call and an
   * event-loop wake-up on each side, and the receiver acknowledges nearly every packet.
   */
  public static Bootstrap configure(Bootstrap bootstrap, QuicStageConfig config,
      EventLoops loops) {
    bootstrap
        .option(ChannelOption.SO_RCVBUF, config.socketBufferBytes())
        .option(ChannelOption.SO_SNDBUF, config.socketBufferBytes());
    if (loops.segmentation()) {
      return bootstrap
          .option(EpollChannelOption.UDP_GRO, true)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(GRO_READ_BYTES));
    }
    // Netty reads datagrams into 2048-byte buffers by default and truncates longer ones; a
    // buffer of the payload size we advertise holds every datagram a peer may send.
    return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR,
        new FixedRecvByteBufAllocator(config.maxUdpPayloadBytes()));
  }

  /** How a connection hands quiche's packets to the socket: batched where GSO exists. */
  public static SegmentedDatagramPacketAllocator datagramAllocator(EventLoops loops) {
    return loops.segmentation()
        ? EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS)
        : SegmentedDatagramPacketAllocator.NONE;
  }
}
