package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.quic.QuicStageConfig;
import io.netty.incubator.codec.quic.QuicCodecBuilder;
import java.util.concurrent.TimeUnit;

/** Applies a {@link QuicStageConfig} to Netty's QUIC codec builders, the same on both ends. */
public final class QuicCodecs {
  /** ALPN of the stage transport; a new incompatible framing gets a new version. */
  public static final String ALPN = "meshd-stage/1";

  private QuicCodecs() {}

  public static <B extends QuicCodecBuilder<B>> B configure(B builder, QuicStageConfig config) {
    return builder
        .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .maxSendUdpPayloadSize(config.maxUdpPayloadBytes())
        .maxRecvUdpPayloadSize(QuicStageConfig.MAX_UDP_PAYLOAD_BYTES)
        .initialMaxData(config.connectionWindowBytes())
        .initialMaxStreamDataBidirectionalLocal(config.streamWindowBytes())
        .initialMaxStreamDataBidirectionalRemote(config.streamWindowBytes())
        // A link is one stream on its own connection; a few spare for what comes next.
        .initialMaxStreamsBidirectional(4)
        .initialMaxStreamsUnidirectional(0);
  }
}
