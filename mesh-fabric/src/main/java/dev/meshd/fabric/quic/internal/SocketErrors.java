package dev.meshd.fabric.quic.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a UDP socket's pipeline, after the QUIC codec: takes the errors the codec
 * passes on. A socket closed while a read was under way (a link closing from its own event) is
 * expected; anything else is worth a warning. Stateless.
 */
@Sharable
public final class SocketErrors extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SocketErrors.class);
  private static final SocketErrors INSTANCE = new SocketErrors();

  private SocketErrors() {}

  /** A pipeline of {@code codec} followed by this handler. */
  public static ChannelHandler after(ChannelHandler codec) {
    return new ChannelInitializer<DatagramChannel>() {
      @Override
      protected void initChannel(DatagramChannel channel) {
        channel.pipeline().addLast(codec, INSTANCE);
      }
    };
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof ClosedChannelException || !ctx.channel().isOpen()) {
      log.debug("QUIC socket {} closed during I/O: {}", ctx.channel().localAddress(),
          cause.toString());
    } else {
      log.warn("QUIC socket {}: {}", ctx.channel().localAddress(), cause.toString());
    }
  }
}
