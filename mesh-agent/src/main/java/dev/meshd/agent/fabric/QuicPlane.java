package dev.meshd.agent.fabric;

import dev.meshd.agent.AgentStartException;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.FleetView;
import dev.meshd.fabric.quic.QuicStageClient;
import dev.meshd.fabric.quic.QuicStageServer;
import dev.meshd.fabric.quic.QuicStageTransport;
import dev.meshd.fabric.tls.AgentCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's QUIC stage transport: its certificate (kept on disk, so the fingerprint peers pin
 * survives restarts), the server on {@code listen.fabric} (UDP) that answers probes and stage
 * links, the client that dials peers, and the {@link QuicStageTransport} negotiation uses. The
 * server serves only clients whose certificate fingerprint a fleet member publishes.
 *
 * <p>Started before the first capability record is built, so the record carries the endpoint
 * from the start; closed in reverse (client, server).
 */
public final class QuicPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QuicPlane.class);

  private final AgentCertificate certificate;
  private final QuicStageServer server;
  private final QuicStageClient client;
  private final QuicStageTransport transport;

  private QuicPlane(AgentCertificate certificate, QuicStageServer server,
      QuicStageClient client) {
    this.certificate = certificate;
    this.server = server;
    this.client = client;
    this.transport = new QuicStageTransport(server.endpoint(), client);
  }

  /**
   * Loads (or creates) the certificate and starts the server and the client.
   *
   * @param fleet read lazily: until it exists, no client is accepted
   * @throws AgentStartException naming the certificate directory or {@code listen.fabric}
   */
  public static QuicPlane start(AgentConfig config, Supplier<FleetView> fleet) {
    Path directory = config.fabric().certificateDir(config.raft().dataDir());
    AgentCertificate certificate;
    try {
      certificate = AgentCertificate.loadOrCreate(directory, config.node().id());
    } catch (IOException e) {
      throw new AgentStartException("fabric certificate", directory.toString(), e);
    }
    InetSocketAddress bind = new InetSocketAddress(config.listen().fabric().host(),
        config.listen().fabric().port());
    QuicStageServer server = QuicStageServer.builder()
        .certificate(certificate)
        .bindAddress(bind)
        .acceptClient(sha256 -> isFleetCertificate(fleet.get(), sha256))
        .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw new AgentStartException("fabric (QUIC, UDP)", config.listen().fabric().toString(), e);
    }
    QuicStageClient client = QuicStageClient.builder().certificate(certificate).build();
    try {
      client.start();
    } catch (RuntimeException e) {
      client.close();
      server.close();
      throw new AgentStartException("fabric (QUIC client)", "", e);
    }
    QuicPlane plane = new QuicPlane(certificate, server, client);
    LOG.info("fabric: QUIC stage transport on {} (UDP), certificate sha256 {} in {}",
        config.listen().fabric(), certificate.sha256(), directory);
    return plane;
  }

  private static boolean isFleetCertificate(FleetView fleet, String sha256) {
    if (fleet == null) {
      return false;
    }
    for (FleetMember member : fleet.members()) {
      if (member.record().fabric().quicEndpoint()
          .filter(q -> q.certificateSha256().equals(sha256)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** What this agent publishes: where peers dial it and the fingerprint they pin. */
  public QuicEndpoint endpoint() {
    return server.endpoint();
  }

  public QuicStageTransport transport() {
    return transport;
  }

  public String certificateSha256() {
    return certificate.sha256();
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
