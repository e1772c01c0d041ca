package dev.meshd.fabric.quic.internal;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On a client connection: closes any stream the server opens. Links are opened by the client;
 * a server that opens streams is not speaking our protocol. Stateless.
 */
@Sharable
public final class RefuseStreams extends ChannelInboundHandlerAdapter {
  public static final RefuseStreams INSTANCE = new RefuseStreams();

  private RefuseStreams() {}

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.close();
  }
}
