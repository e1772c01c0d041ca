package dev.meshd.fabric.quic.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loop a QUIC server or client owns: epoll on Linux, NIO elsewhere.
 *
 * @param segmentation whether the sockets can send and receive batches of datagrams in one
 *     system call (Linux UDP GSO and GRO, through epoll)
 */
public record EventLoops(EventLoopGroup group, Class<? extends DatagramChannel> channelClass,
    boolean segmentation) {

  /** A group of {@code threads} daemon threads named {@code name-N}. */
  public static EventLoops create(String name, int threads) {
    DefaultThreadFactory threadFactory = new DefaultThreadFactory(name, true);
    if (Epoll.isAvailable()) {
      return new EventLoops(new EpollEventLoopGroup(threads, threadFactory),
          EpollDatagramChannel.class, EpollDatagramChannel.isSegmentedDatagramPacketSupported());
    }
    return new EventLoops(new NioEventLoopGroup(threads, threadFactory),
        NioDatagramChannel.class, false);
  }

  /** Stops the threads, waiting at most {@code timeout}; returns whether they stopped. */
  public boolean shutdown(Duration timeout) {
    // No quiet period: by now every channel has been closed by its owner.
    return group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(timeout.toMillis() + 100);
  }
}
