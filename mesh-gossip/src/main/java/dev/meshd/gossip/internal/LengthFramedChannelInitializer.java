package dev.meshd.gossip.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.util.function.BiConsumer;
import reactor.netty.ConnectionObserver;

/** The 4-byte length framing scalecube's TCP transport speaks on the wire. */
final class LengthFramedChannelInitializer implements BiConsumer<ConnectionObserver, Channel> {

  private static final int LENGTH_FIELD_LENGTH = 4;

  private final int maxFrameLength;

  LengthFramedChannelInitializer(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  @Override
  public void accept(ConnectionObserver observer, Channel channel) {
    channel.pipeline()
        .addFirst(new LengthFieldBasedFrameDecoder(
            maxFrameLength, 0, LENGTH_FIELD_LENGTH, 0, LENGTH_FIELD_LENGTH))
        .addFirst(new LengthFieldPrepender(LENGTH_FIELD_LENGTH));
  }
}
