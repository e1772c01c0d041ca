package dev.meshd.fabric.quic;

import dev.meshd.core.fabric.FabricClass;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.fabric.negotiate.Acceptance;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.LinkContext;
import dev.meshd.fabric.negotiate.StageTransport;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import java.util.Objects;

/**
 * The {@code quic} group of {@code fabric.order} as a {@link StageTransport}: both ends describe
 * their {@link QuicEndpoint} (address and certificate fingerprint) as the endpoint data; the
 * downstream's server is always listening on {@code listen.fabric}, so accepting prepares
 * nothing; the upstream's probe dials the downstream's answer and pins its fingerprint. QUIC is
 * always possible between two agents that can reach each other, which is why negotiation tries
 * it last.
 *
 * <p>Endpoint data: {@code <sha256>@<host>:<port>} in UTF-8. Thread-safe (the client is).
 */
public final class QuicStageTransport implements StageTransport {

  /** The {@code fabric.order} group. */
  public static final String GROUP = "quic";

  private final QuicEndpoint self;
  private final QuicStageClient client;

  /**
   * @param self this agent's endpoint, as published in its record
   * @param client a started client with this agent's certificate (the server pins it)
   */
  public QuicStageTransport(QuicEndpoint self, QuicStageClient client) {
    this.self = Objects.requireNonNull(self, "self");
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public String group() {
    return GROUP;
  }

  @Override
  public TransportEndpoint offer(LinkContext link) {
    return endpoint();
  }

  @Override
  public Acceptance accept(TransportEndpoint peerOffer, LinkContext link) throws ProbeFailure {
    decode(peerOffer); // an offer we could not dial back is refused early, with the reason
    return Acceptance.withoutResponder(endpoint());
  }

  @Override
  public ProbeResult probe(LinkContext link, TransportEndpoint peerAnswer, ProbeSpec spec)
      throws ProbeFailure {
    return client.probe(decode(peerAnswer), spec);
  }

  private TransportEndpoint endpoint() {
    return new TransportEndpoint(FabricClass.QUIC, EndpointData.ofUtf8(encode(self)));
  }

  /** {@code <sha256>@<host>:<port>}. */
  static String encode(QuicEndpoint endpoint) {
    return endpoint.certificateSha256() + "@" + endpoint.host() + ":" + endpoint.port();
  }

  /** The endpoint an answer or offer names; a malformed one is a transport error. */
  static QuicEndpoint decode(TransportEndpoint endpoint) throws ProbeFailure {
    String text = endpoint.data().toUtf8();
    int at = text.indexOf('@');
    int colon = text.lastIndexOf(':');
    if (at < 0 || colon < at) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          "QUIC endpoint data \"" + text + "\" (expected: <sha256>@<host>:<port>)");
    }
    try {
      return new QuicEndpoint(text.substring(at + 1, colon),
          Integer.parseInt(text.substring(colon + 1)), text.substring(0, at));
    } catch (IllegalArgumentException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          "QUIC endpoint data \"" + text + "\": " + e.getMessage());
    }
  }
}
