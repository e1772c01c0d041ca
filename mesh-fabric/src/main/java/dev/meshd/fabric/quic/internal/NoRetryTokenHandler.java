package dev.meshd.fabric.quic.internal;

import io.netty.buffer.ByteBuf;
import io.netty.incubator.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;

/**
 * Skips QUIC's Retry (address validation by token). Peers are fleet members authenticated by
 * certificate, and Retry would add a round trip to every connect that a probe measures; the
 * 3x amplification limit of RFC 9000 still applies before the handshake completes. (Netty's
 * own equivalent is not public in 0.0.75.) Stateless.
 */
public final class NoRetryTokenHandler implements QuicTokenHandler {
  public static final NoRetryTokenHandler INSTANCE = new NoRetryTokenHandler();

  private NoRetryTokenHandler() {}

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    return false;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    return 0;
  }

  @Override
  public int maxTokenLength() {
    return 0;
  }
}
