package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.quic.StageLink;
import dev.meshd.fabric.quic.StageLinkException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a stage stream's pipeline (after {@link FrameDecoder}): answers the peer's probe
 * (PING, PROBE_DATA, PROBE_END), hands stage messages and probe answers to the
 * {@link QuicStageLink}, and turns faults into an ERROR frame for the peer and a failure of the
 * link. Event-loop confined; one per stream.
 */
public final class StageStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(StageStreamHandler.class);
  /** Time the peer gets to read our ERROR frame and close the connection itself. */
  private static final long ERROR_GRACE_MILLIS = 1_000;

  private final QuicStageLink link;
  private final ConnectionEvents events;
  private final ProbeResponder responder = new ProbeResponder();
  private final Consumer<StageLink> onFirstData;
  private final boolean acceptsData;
  private boolean announced;
  private boolean rejected;

  /**
   * @param onFirstData where a server hands a link when its first stage message arrives (so
   *     probe-only connections never reach it); null on a client, which owns its links
   * @param acceptsData false on a server without a link handler: stage data is refused
   */
  private StageStreamHandler(QuicStageLink link, ConnectionEvents events,
      Consumer<StageLink> onFirstData, boolean acceptsData) {
    this.link = link;
    this.events = events;
    this.onFirstData = onFirstData;
    this.acceptsData = acceptsData;
  }

  /**
   * Sets up {@code stream}'s pipeline for {@code link}; {@code events} is the connection's,
   * which ends the link when the connection closes.
   */
  public static void install(QuicStreamChannel stream, QuicStageLink link,
      ConnectionEvents events, int maxFrameBytes, Consumer<StageLink> onFirstData,
      boolean acceptsData) {
    events.attach(link);
    stream.pipeline().addLast(new FrameDecoder(maxFrameBytes),
        new StageStreamHandler(link, events, onFirstData, acceptsData));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FrameException e) {
      reject(ctx, e);
      return;
    }
    Frame frame = (Frame) msg;
    try {
      if (!rejected) {
        handle(ctx, frame);
      }
    } catch (FrameException e) {
      reject(ctx, e);
    } finally {
      frame.release();
    }
  }

  private void handle(ChannelHandlerContext ctx, Frame frame) throws FrameException {
    switch (frame.type()) {
      case DATA -> {
        if (!acceptsData) {
          throw new FrameException(FrameException.Kind.UNSUPPORTED,
              "this end answers probes only and takes no stage data");
        }
        link.onData(frame);
        announceOnce();
      }
      case PING -> ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), FrameType.PONG,
          frame.sequence(), frame.payload().nioBuffer()));
      case PONG -> link.onProbeReply(new ProbeReply(FrameType.PONG, frame.sequence(), 0, 0));
      case PROBE_DATA -> responder.onData(frame);
      case PROBE_END -> ctx.writeAndFlush(responder.onEnd(ctx.alloc(), frame));
      case PROBE_ACK -> {
        if (frame.length() != 2 * Long.BYTES) {
          throw new FrameException(FrameException.Kind.MALFORMED,
              "PROBE_ACK carries " + frame.length() + " bytes (expected: 16)");
        }
        ByteBuf payload = frame.payload();
        link.onProbeReply(new ProbeReply(FrameType.PROBE_ACK, frame.sequence(),
            payload.getLong(payload.readerIndex()),
            payload.getLong(payload.readerIndex() + Long.BYTES)));
      }
      case ERROR -> onPeerError(frame.payload());
    }
  }

  private void announceOnce() {
    if (!announced && onFirstData != null) {
      announced = true;
      Thread.ofVirtual().name("meshd-stage-link").start(() -> {
        try {
          onFirstData.accept(link);
        } catch (RuntimeException e) {
          log.warn("stage link handler failed for {}: {}", link, e.toString(), e);
          link.close();
        }
      });
    }
  }

  /** The peer found a fault and ends the link: say what it said, close the connection. */
  private void onPeerError(ByteBuf payload) {
    FrameException.Kind kind = FrameCodec.errorKind(payload);
    String detail = FrameCodec.errorDetail(payload);
    link.fail(new StageLinkException(reasonFor(kind),
        "the peer ended the link (" + kind.name().toLowerCase(Locale.ROOT) + "): "
            + detail));
    link.release();
  }

  /**
   * We found a fault: tell the peer in an ERROR frame, stop reading, and leave the peer a
   * moment to close the connection before we do (closing at once could drop the ERROR frame).
   */
  private void reject(ChannelHandlerContext ctx, FrameException e) {
    if (rejected) {
      return;
    }
    rejected = true;
    log.info("stage link {}: rejecting a frame ({}): {}", link, e.kind(), e.getMessage());
    link.fail(new StageLinkException(reasonFor(e.kind()),
        "received a frame this end cannot accept: " + e.getMessage()));
    ctx.writeAndFlush(FrameCodec.encodeError(ctx.alloc(), e.kind(), e.getMessage()));
    ctx.executor().schedule(link::release, ERROR_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    link.onWritabilityChanged();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    link.fail(events.endedBecause());
    link.release();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stage link {} failed", link, cause);
    link.fail(new StageLinkException(FallbackReason.TRANSPORT_ERROR,
        "stream failed: " + cause, cause));
    link.release();
  }

  static FallbackReason reasonFor(FrameException.Kind kind) {
    return kind == FrameException.Kind.CHECKSUM_MISMATCH
        ? FallbackReason.CHECKSUM_MISMATCH
        : FallbackReason.TRANSPORT_ERROR;
  }
}
