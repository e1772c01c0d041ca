package dev.meshd.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.TlsConfig;
import dev.meshd.testkit.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials of security.tls on a real loopback Netty server, without an agent. */
class GrpcTlsTest {

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path ca;
  private TestCertificateAuthority.Issued server;
  private TestCertificateAuthority.Issued client;
  private TestCertificateAuthority.Issued stranger;

  @BeforeEach
  void issueCertificates() {
    TestCertificateAuthority authority = TestCertificateAuthority.create("fleet-ca");
    ca = authority.writeCertificate(dir.resolve("ca.crt"));
    server = authority.issue(dir, "agent");
    client = authority.issue(dir, "operator");
    stranger = TestCertificateAuthority.create("other-ca").issue(dir.resolve("other"), "intruder");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void withoutTlsConfigBothSidesArePlaintext() throws Exception {
    int port = serve(GrpcTls.server(Optional.empty()));

    assertThat(check(port, GrpcTls.client(Optional.empty()))).isEqualTo(ServingStatus.SERVING);
    assertThat(GrpcTls.describe(Optional.empty())).isEqualTo("plaintext");
  }

  @Test
  void serverTlsAnswersAClientThatTrustsTheCaAndRefusesPlaintext() throws Exception {
    int port = serve(GrpcTls.server(Optional.of(new TlsConfig(server.cert(), server.key(),
        null))));

    ChannelCredentials trusting = TlsChannelCredentials.newBuilder()
        .trustManager(ca.toFile()).build();
    assertThat(check(port, trusting)).isEqualTo(ServingStatus.SERVING);
    assertRefused(port, InsecureChannelCredentials.create());
    // The JDK's default trust store does not know the test CA.
    assertRefused(port, TlsChannelCredentials.create());
  }

  @Test
  void mutualTlsRequiresAClientCertificateIssuedByTheCa() throws Exception {
    TlsConfig agentTls = new TlsConfig(server.cert(), server.key(), ca);
    int port = serve(GrpcTls.server(Optional.of(agentTls)));

    // Another agent of the fleet: presents its own certificate, trusts the CA.
    assertThat(check(port, GrpcTls.client(Optional.of(new TlsConfig(client.cert(), client.key(),
        ca))))).isEqualTo(ServingStatus.SERVING);
    assertRefused(port, TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build());
    assertRefused(port, TlsChannelCredentials.newBuilder().trustManager(ca.toFile())
        .keyManager(stranger.cert().toFile(), stranger.key().toFile()).build());
    assertThat(GrpcTls.describe(Optional.of(agentTls))).contains("mTLS", ca.toString());
  }

  @Test
  void badFilesAreNamedWithTheirConfigKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
    Path missing = dir.resolve("missing.crt");

    assertThatThrownBy(() -> GrpcTls.server(Optional.of(new TlsConfig(server.cert(), garbage,
        null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("security.tls.key: " + garbage + ": no PEM private key found");
    assertThatThrownBy(() -> GrpcTls.server(Optional.of(new TlsConfig(missing, server.key(),
        null))))
        .hasMessage("security.tls.cert: " + missing + ": file not found");
    assertThatThrownBy(() -> GrpcTls.client(Optional.of(new TlsConfig(server.cert(),
        server.key(), garbage))))
        .hasMessageStartingWith("security.tls.ca: " + garbage + ": no PEM certificate found");
    assertThatThrownBy(() -> GrpcTls.server(Optional.of(new TlsConfig(server.cert(),
        client.key(), null))))
        .hasMessage("security.tls.key: " + client.key()
            + ": not the private key of the certificate in " + server.cert());
  }

  private int serve(ServerCredentials credentials) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            credentials)
        .addService(health.getHealthService())
        .build()
        .start();
    toClose.add(() -> grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return grpc.getPort();
  }

  private ServingStatus check(int port, ChannelCredentials credentials) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port, credentials).build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  private void assertRefused(int port, ChannelCredentials credentials) {
    assertThatThrownBy(() -> check(port, credentials))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
