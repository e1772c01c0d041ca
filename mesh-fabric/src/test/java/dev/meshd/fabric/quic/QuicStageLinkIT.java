package dev.meshd.fabric.quic;

import static dev.meshd.fabric.probe.FallbackReason.CHECKSUM_MISMATCH;
import static dev.meshd.fabric.probe.FallbackReason.CONNECT_FAILED;
import static dev.meshd.fabric.probe.FallbackReason.PEER_REJECTED;
import static dev.meshd.fabric.probe.FallbackReason.TRANSPORT_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.tls.AgentCertificate;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real QUIC links between a server and a client in one JVM, on loopback. Deadlines are
 * generous and probes small: the build machines are shared 2-core boxes.
 */
class QuicStageLinkIT {
  private static final InetSocketAddress LOOPBACK_ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ProbeSpec SMALL_PROBE = new ProbeSpec(4, 64 << 10, 8, PATIENCE);

  private final AgentCertificate serverCert = AgentCertificate.generate("node-server");
  private final AgentCertificate clientCert = AgentCertificate.generate("node-client");
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private QuicStageClient client;

  @BeforeEach
  void startClient() {
    client = QuicStageClient.builder()
        .certificate(clientCert)
        .localAddress(LOOPBACK_ANY_PORT)
        .build();
    client.start();
    toClose.add(client);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  @Test
  void probeMovesVerifiedPayloadAndMeasuresIt() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), null, QuicStageConfig.defaults());

    ProbeResult result = client.probe(server.endpoint(), SMALL_PROBE);

    assertThat(result.bytesVerified()).isEqualTo(8L * (64 << 10));
    assertThat(result.bytesPerSecond()).isPositive();
    assertThat(result.rtt()).isPositive();
    assertThat(result.elapsed()).isGreaterThan(result.rtt());
  }

  @Test
  void stageMessagesFlowBothWaysInOrder() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), QuicStageLinkIT::echo,
        QuicStageConfig.defaults());

    try (StageLink link = client.connect(server.endpoint(), PATIENCE)) {
      assertThat(link.peerCertificateSha256()).isEqualTo(serverCert.sha256());
      int[] sizes = {0, 1, 1000, 64 << 10, 1 << 20, 17};
      for (int i = 0; i < sizes.length; i++) {
        assertThat(link.send(patterned(sizes[i], i), PATIENCE)).isTrue();
      }
      for (int i = 0; i < sizes.length; i++) {
        StageMessage echoed = link.receive(PATIENCE).orElseThrow();
        assertThat(echoed.sequence()).isEqualTo(i);
        assertThat(echoed.payload()).isEqualTo(patterned(sizes[i], i));
      }
    }
  }

  @Test
  void serverSeesTheClientsFingerprint() throws Exception {
    LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    QuicStageServer server = server(Set.of(clientCert.sha256()),
        link -> seen.add(link.peerCertificateSha256()), QuicStageConfig.defaults());

    try (StageLink link = client.connect(server.endpoint(), PATIENCE)) {
      link.send(ByteBuffer.allocate(1), PATIENCE);
      assertThat(seen.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(clientCert.sha256());
    }
  }

  @Test
  void probeRunsOnALinkThatCarriesStageData() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), QuicStageLinkIT::echo,
        QuicStageConfig.defaults());

    try (StageLink link = client.connect(server.endpoint(), PATIENCE)) {
      link.send(patterned(100, 1), PATIENCE);
      ProbeResult result = link.probe(SMALL_PROBE);
      link.send(patterned(100, 2), PATIENCE);

      assertThat(result.bytesVerified()).isEqualTo(SMALL_PROBE.totalBytes());
      assertThat(link.receive(PATIENCE).orElseThrow().payload()).isEqualTo(patterned(100, 1));
      assertThat(link.receive(PATIENCE).orElseThrow().payload()).isEqualTo(patterned(100, 2));
    }
  }

  @Test
  void aSenderWaitsForASlowReceiverInsteadOfQueueing() throws Exception {
    // Small windows and buffers, so the bound is reached with little data.
    QuicStageConfig small = QuicStageConfig.defaults()
        .withWindows(256 << 10, 128 << 10)
        .withBuffers(64 << 10, 128 << 10);
    CountDownLatch startReading = new CountDownLatch(1);
    LinkedBlockingQueue<StageMessage> received = new LinkedBlockingQueue<>();
    QuicStageServer server = server(Set.of(clientCert.sha256()), link -> {
      try {
        startReading.await();
        Optional<StageMessage> message;
        while ((message = link.receive(PATIENCE)).isPresent()) {
          received.add(message.get());
        }
      } catch (Exception e) {
        // The link ended: the test is over.
      }
    }, small);
    QuicStageClient smallClient = QuicStageClient.builder().certificate(clientCert)
        .localAddress(LOOPBACK_ANY_PORT).config(small).build();
    toClose.add(smallClient);
    smallClient.start();

    try (StageLink link = smallClient.connect(server.endpoint(), PATIENCE)) {
      int messageBytes = 32 << 10;
      // What may be in flight: the stream window, the receiver's buffer, the sender's buffer,
      // a message in the decoder and one being handed over; twice that is a generous bound.
      long bound = 2L * ((128 << 10) + (128 << 10) + (64 << 10) + 2L * messageBytes);
      int sent = 0;
      while (link.send(patterned(messageBytes, sent), Duration.ofMillis(500))) {
        sent++;
        assertThat((long) sent * messageBytes).as("bytes accepted without a reader")
            .isLessThanOrEqualTo(bound);
      }
      startReading.countDown();
      for (int i = 0; i < 8; i++) {
        assertThat(link.send(patterned(messageBytes, sent + i), PATIENCE)).isTrue();
      }
      int total = sent + 8;
      await().atMost(PATIENCE).until(() -> received.size() == total);
      List<StageMessage> inOrder = new ArrayList<>(received);
      for (int i = 0; i < total; i++) {
        assertThat(inOrder.get(i).sequence()).isEqualTo(i);
        assertThat(inOrder.get(i).payload()).isEqualTo(patterned(messageBytes, i));
      }
    }
  }

  @Test
  void wrongPinnedFingerprintIsPeerRejectedNamingBoth() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), null, QuicStageConfig.defaults());
    String otherSha = AgentCertificate.generate("impostor").sha256();
    QuicEndpoint pinnedElsewhere = new QuicEndpoint(server.endpoint().host(),
        server.endpoint().port(), otherSha);

    assertThatThrownBy(() -> client.probe(pinnedElsewhere, SMALL_PROBE))
        .isInstanceOfSatisfying(ProbeFailure.class, probeFailedWith(PEER_REJECTED))
        .hasMessageContaining(serverCert.sha256())
        .hasMessageContaining(otherSha);
  }

  @Test
  void serverRefusesAClientWhoseFingerprintIsNotInTheFleet() throws Exception {
    QuicStageServer server = server(Set.of(serverCert.sha256()), null, QuicStageConfig.defaults());

    assertThatThrownBy(() -> client.probe(server.endpoint(), SMALL_PROBE))
        .isInstanceOfSatisfying(ProbeFailure.class, probeFailedWith(PEER_REJECTED))
        .hasMessageContaining("does not accept this node's certificate");
  }

  @Test
  void corruptedBulkMessageIsAChecksumMismatch() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), null, QuicStageConfig.defaults());
    client.corruptNextProbeMessage();

    assertThatThrownBy(() -> client.probe(server.endpoint(), SMALL_PROBE))
        .isInstanceOfSatisfying(ProbeFailure.class, probeFailedWith(CHECKSUM_MISMATCH))
        .hasMessageContaining("PROBE_DATA frame 0");
    // The server is unharmed: the next probe passes.
    assertThat(client.probe(server.endpoint(), SMALL_PROBE).bytesVerified())
        .isEqualTo(SMALL_PROBE.totalBytes());
  }

  @Test
  void nothingListeningIsAConnectFailure() throws Exception {
    int silentPort;
    try (DatagramSocket socket = new DatagramSocket(LOOPBACK_ANY_PORT)) {
      silentPort = socket.getLocalPort();
    }
    QuicEndpoint nobody = new QuicEndpoint("127.0.0.1", silentPort, serverCert.sha256());

    assertThatThrownBy(() ->
        client.probe(nobody, new ProbeSpec(4, 64 << 10, 8, Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(ProbeFailure.class, probeFailedWith(CONNECT_FAILED))
        .hasMessageContaining("127.0.0.1:" + silentPort);
  }

  @Test
  void aProbeOnlyServerRefusesStageData() throws Exception {
    QuicStageServer server = server(Set.of(clientCert.sha256()), null, QuicStageConfig.defaults());

    try (StageLink link = client.connect(server.endpoint(), PATIENCE)) {
      link.send(ByteBuffer.allocate(10), PATIENCE);

      assertThatThrownBy(() -> link.receive(PATIENCE))
          .isInstanceOfSatisfying(StageLinkException.class, linkFailedWith(TRANSPORT_ERROR))
          .hasMessageContaining("answers probes only");
      assertThat(link.isOpen()).isFalse();
    }
  }

  @Test
  void startAndCloseAreIdempotentAndReleaseTheEventLoops() throws Exception {
    QuicStageServer server = QuicStageServer.builder().certificate(serverCert)
        .bindAddress(LOOPBACK_ANY_PORT).acceptClient(sha -> true).build();
    server.start();
    server.start();
    assertThat(server.localAddress().getPort()).isPositive();
    assertThat(server.endpoint().certificateSha256()).isEqualTo(serverCert.sha256());
    client.probe(server.endpoint(), SMALL_PROBE);

    server.close();
    server.close();
    client.close();
    client.close();

    await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("meshd-quic-")));
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderNamesWhatIsMissing() {
    assertThatThrownBy(() -> QuicStageServer.builder().build())
        .hasMessage("QuicStageServer: missing certificate, bindAddress, acceptClient");
  }

  private QuicStageServer server(Set<String> fleet, Consumer<StageLink> handler,
      QuicStageConfig config) throws Exception {
    QuicStageServer.Builder builder = QuicStageServer.builder()
        .certificate(serverCert)
        .bindAddress(LOOPBACK_ANY_PORT)
        .acceptClient(fleet::contains)
        .config(config);
    if (handler != null) {
      builder.linkHandler(handler);
    }
    QuicStageServer server = builder.build();
    toClose.add(server);
    server.start();
    return server;
  }

  private static Consumer<ProbeFailure> probeFailedWith(FallbackReason expected) {
    return e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
  }

  private static Consumer<StageLinkException> linkFailedWith(FallbackReason expected) {
    return e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
  }

  private static void echo(StageLink link) {
    try {
      while (true) {
        Optional<StageMessage> message = link.receive(PATIENCE);
        if (message.isEmpty()) {
          return;
        }
        link.send(message.get().payload(), PATIENCE);
      }
    } catch (Exception e) {
      // The link ended.
    }
  }

  private static ByteBuffer patterned(int size, int seed) {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    for (int i = 0; i < size; i++) {
      buffer.put((byte) (i * 31 + seed));
    }
    return buffer.flip();
  }
}
