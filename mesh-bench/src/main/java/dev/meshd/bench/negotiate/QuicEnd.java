package dev.meshd.bench.negotiate;

import dev.meshd.fabric.quic.QuicStageClient;
import dev.meshd.fabric.quic.QuicStageServer;
import dev.meshd.fabric.quic.QuicStageTransport;
import dev.meshd.fabric.tls.AgentCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One agent's QUIC stage transport as the agent builds it ({@code QuicPlane}), in the bench's
 * JVM: its own generated certificate, a {@link QuicStageServer} on a free loopback UDP port that
 * serves only the other end's certificate, a {@link QuicStageClient}, and the {@link
 * QuicStageTransport} adapter negotiation calls. All production code; only the trust predicate
 * differs from the agent's (which asks the fleet's records for the fingerprint).
 *
 * <p>Lifecycle: {@link #start} starts everything; {@link #close()} closes the client, then the
 * server (idempotent, as theirs are).
 */
public final class QuicEnd implements AutoCloseable {

  private static final InetSocketAddress LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final QuicStageServer server;
  private final QuicStageClient client;
  private final QuicStageTransport transport;

  private QuicEnd(QuicStageServer server, QuicStageClient client) {
    this.server = server;
    this.client = client;
    this.transport = new QuicStageTransport(server.endpoint(), client);
  }

  /**
   * Starts an end presenting {@code own} and serving only clients presenting {@code peerSha256}.
   *
   * @throws IOException when no loopback UDP port can be bound
   */
  public static QuicEnd start(AgentCertificate own, String peerSha256) throws IOException {
    QuicStageServer server = QuicStageServer.builder()
        .certificate(own)
        .bindAddress(LOOPBACK)
        .acceptClient(peerSha256::equals)
        .build();
    QuicStageClient client = QuicStageClient.builder().certificate(own).build();
    try {
      server.start();
      client.start();
    } catch (IOException | RuntimeException e) {
      client.close();
      server.close();
      throw e;
    }
    return new QuicEnd(server, client);
  }

  public QuicStageTransport transport() {
    return transport;
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
