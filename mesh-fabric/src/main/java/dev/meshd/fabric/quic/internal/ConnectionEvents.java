package dev.meshd.fabric.quic.internal;

import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.quic.StageLinkException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in a QUIC connection's pipeline and ends the connection's stage link as soon as the peer
 * closes the connection, saying how: a TLS alert means the peer refused our certificate. (The
 * stream itself only goes inactive after QUIC's draining period, hundreds of milliseconds
 * later.) One per connection; event-loop confined except {@link #endedBecause()}.
 */
public final class ConnectionEvents extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

  private volatile QuicConnectionCloseEvent closeEvent;
  private volatile QuicStageLink link;

  /** The link on this connection, ended when the connection is. */
  void attach(QuicStageLink link) {
    this.link = link;
    if (closeEvent != null) {
      link.fail(endedBecause());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof QuicConnectionCloseEvent close) {
      closeEvent = close;
      log.debug("QUIC connection to {} closed by the peer: {}",
          ((QuicChannel) ctx.channel()).remoteSocketAddress(),
          describe(close));
      QuicStageLink attached = link;
      if (attached != null) {
        attached.fail(endedBecause());
      }
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed handshake or a closed connection: the trust manager or the stream's link says
    // what matters, at the right level. Not closed here: QUIC is already closing it, and
    // closing it first would drop the CONNECTION_CLOSE that tells the peer why.
    log.debug("QUIC connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
  }

  /** Why a link on this connection ended, from what is known of the connection's close. */
  StageLinkException endedBecause() {
    QuicConnectionCloseEvent event = closeEvent;
    if (event == null) {
      return new StageLinkException(FallbackReason.TRANSPORT_ERROR, "the stream was closed");
    }
    if (event.isTlsError()) {
      // After our handshake completed, the only TLS check left is the server's of our
      // certificate (TLS 1.3 lets the client finish first).
      return new StageLinkException(FallbackReason.PEER_REJECTED, "the peer closed the"
          + " connection with " + describe(event) + ": it does not accept this node's"
          + " certificate");
    }
    return new StageLinkException(FallbackReason.TRANSPORT_ERROR,
        "the peer closed the connection (" + describe(event) + ")");
  }

  private static String describe(QuicConnectionCloseEvent event) {
    String reason = reasonOf(event);
    String code;
    if (event.isTlsError()) {
      int alert = QuicConnectionCloseEvent.extractTlsError(event.error());
      code = "TLS alert " + alert + tlsAlertName(alert);
    } else if (event.error() == 0) {
      code = "no error";
    } else {
      code = (event.isApplicationClose() ? "application code " : "transport error ")
          + String.format(Locale.ROOT, "0x%x", event.error());
    }
    return code + (reason.isEmpty() ? "" : ", " + reason);
  }

  private static String reasonOf(QuicConnectionCloseEvent event) {
    try {
      return new String(event.reason(), StandardCharsets.UTF_8);
    } catch (NullPointerException e) {
      // 0.0.75's reason() clones the array without a null check; null = the peer gave none.
      return "";
    }
  }

  private static String tlsAlertName(int alert) {
    return switch (alert) {
      case 40 -> " handshake_failure";
      case 42 -> " bad_certificate";
      case 46 -> " certificate_unknown";
      case 48 -> " unknown_ca";
      case 80 -> " internal_error";
      case 116 -> " certificate_required";
      case 120 -> " no_application_protocol";
      default -> "";
    };
  }
}
