package dev.meshd.fabric.negotiate;

import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;

/**
 * The seam every stage transport plugs into: one implementation per {@code fabric.order} group
 * ({@code nvlink}, {@code xgmi}, {@code rdma}, {@code libfabric-tcp}, {@code quic}). The
 * {@link TransportNegotiator} calls it; a transport never talks to the negotiation's peer
 * itself, only over its own fabric during {@link #probe}.
 *
 * <p>Order of calls for one link, upstream U (sends activations) and downstream D:
 * <ol>
 *   <li>U: {@link #offer} — what U can offer (class and endpoint data), or why not.
 *   <li>D: {@link #accept} with U's offer — whether D can take it; if so D prepares a responder
 *       and answers with its own endpoint data. The responder lives until the returned
 *       {@link Acceptance} is closed.
 *   <li>U: {@link #probe} with D's answer — the payload probe (pings, then bulk messages
 *       verified by CRC32C, see {@code dev.meshd.fabric.probe}).
 * </ol>
 *
 * <p>Why-not is always a {@link ProbeFailure} with its {@link
 * dev.meshd.fabric.probe.FallbackReason}: {@code offer} and {@code accept} use the absence
 * reasons ({@code library_missing}, {@code provider_missing}, {@code no_gpu}, {@code
 * no_peer_access}) or {@code address_insert_failed}/{@code transport_error}; {@code probe} the
 * faults ({@code connect_failed}, {@code peer_rejected}, {@code probe_timeout}, {@code
 * checksum_mismatch}, ...). The same-host rule of NVLink/XGMI and the presence of a group in
 * both ends' {@code fabric.order} are checked by the negotiator before a transport is asked.
 *
 * <p>Deadlines: each call runs on its own virtual thread. {@code offer} and {@code accept} get
 * the negotiator's prepare deadline (2 s by default), {@code probe} gets {@code
 * spec.deadline()}. At the deadline the negotiator interrupts the thread and moves on; an
 * implementation must then return promptly (throwing {@link InterruptedException} or a {@link
 * ProbeFailure}) and free what it opened. A call that ignores the interrupt is abandoned after a
 * grace second and logged as stuck.
 *
 * <p>Implementations are thread-safe: one agent negotiates several links at once.
 */
public interface StageTransport {

  /** The {@code fabric.order} group this transport serves, e.g. {@code libfabric-tcp}. */
  String group();

  /**
   * Upstream, step 1: what this node offers for {@code link}. Describes only; holds nothing
   * that would need releasing ({@link #probe} opens what it needs).
   *
   * @throws ProbeFailure why this node cannot offer this transport for the link
   */
  TransportEndpoint offer(LinkContext link) throws ProbeFailure, InterruptedException;

  /**
   * Downstream, step 2: accepts the upstream's offer for this group, preparing whatever answers
   * the probe (for libfabric an endpoint whose name goes in the answer; for QUIC the server that
   * already listens on {@code listen.fabric}).
   *
   * @param peerOffer what the upstream offered for this group
   * @param link this end (downstream) as {@code local}, the upstream as {@code peer}
   * @throws ProbeFailure why this node cannot take the offer (e.g. {@code provider_missing}
   *     when the two ends share no provider, {@code address_insert_failed} when the peer's
   *     address is unusable)
   */
  Acceptance accept(TransportEndpoint peerOffer, LinkContext link)
      throws ProbeFailure, InterruptedException;

  /**
   * Upstream, step 3: the payload probe against the downstream's answer. Ends within {@code
   * spec.deadline()}; returns what it measured.
   *
   * @param link this end (upstream) as {@code local}, the downstream as {@code peer}
   * @param peerAnswer the downstream's endpoint from its acceptance
   * @throws ProbeFailure why the probe failed
   */
  ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure, InterruptedException;
}
