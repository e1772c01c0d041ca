package dev.meshd.core.policy;

import java.time.Instant;
import java.util.List;

/**
 * What the fabric negotiator found for one {@link StageLink}. Written by the fabric component;
 * {@link #PENDING} until then.
 *
 * @param transport the transport in use ({@code nvlink}, {@code rdma}, {@code quic}, ...); empty
 *     while pending
 * @param fabricClass coarse class of the path (e.g. {@code intra-host}, {@code rdma}, {@code ip})
 * @param bandwidthBytesPerSecond measured by the payload probe; 0 when unknown
 * @param rttMicros measured round-trip time in microseconds; 0 when unknown
 * @param state where the negotiation stands
 * @param reason why the state is what it is (mostly for {@link LinkState#FAILED}); may be empty
 * @param fallbackReasons why each preferred transport was skipped, in preference order
 * @param negotiatedAt when the negotiation finished; null while pending
 */
public record LinkStatus(
    String transport,
    String fabricClass,
    long bandwidthBytesPerSecond,
    long rttMicros,
    LinkState state,
    String reason,
    List<String> fallbackReasons,
    Instant negotiatedAt) {

  public static final LinkStatus PENDING =
      new LinkStatus("", "", 0, 0, LinkState.PENDING, "", List.of(), null);

  public LinkStatus {
    transport = transport == null ? "" : transport;
    fabricClass = fabricClass == null ? "" : fabricClass;
    state = state == null ? LinkState.PENDING : state;
    reason = reason == null ? "" : reason;
    fallbackReasons = Lists.copyOf(fallbackReasons);
  }
}
