package dev.meshd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestNodes;
import dev.meshd.testkit.TestCertificateAuthority;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's TLS options against a TLS (and an mTLS) agent on 127.0.0.1. */
class MeshCliTlsTest {

  @TempDir Path dir;
  private Path ca;
  private TestCertificateAuthority.Issued server;
  private TestCertificateAuthority.Issued client;
  private TestCertificateAuthority.Issued stranger;
  private Path otherCa;

  @BeforeEach
  void issueCertificates() {
    TestCertificateAuthority authority = TestCertificateAuthority.create("fleet-ca");
    ca = authority.writeCertificate(dir.resolve("ca.crt"));
    server = authority.issue(dir, "agent");
    client = authority.issue(dir, "operator");
    TestCertificateAuthority other = TestCertificateAuthority.create("other-ca");
    otherCa = other.writeCertificate(dir.resolve("other-ca.crt"));
    stranger = other.issue(dir.resolve("other"), "intruder");
  }

  @Test
  void listsNodesOverTlsTrustingTheCaFromTheOptionOrTheEnvironment() throws IOException {
    try (FakeAgent agent = FakeAgent.loopback(serverTls(false))) {
      agent.service().nodes(TestNodes.threeUnsorted());

      Result result = CliRunner.plaintext()
          .run("--server", agent.server(), "--tls-ca", ca.toString(), "list-nodes");
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out().lines()).hasSize(4).first().asString().startsWith("NODE ");

      Result fromEnv = CliRunner.plaintext().withEnv(Map.of("MESHD_TLS_CA", ca.toString()))
          .run("--server", agent.server(), "list-nodes");
      assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
    }
  }

  @Test
  void plaintextOrUntrustedCallsToATlsAgentSayWhatToPass() throws IOException {
    try (FakeAgent agent = FakeAgent.loopback(serverTls(false))) {
      String reach = "cannot reach agent at " + agent.server() + ": ";

      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "list-nodes"),
          reach + "the connection was closed before any answer (is the agent serving TLS? try"
              + " --tls-ca FILE, or --tls)");
      String untrusted = reach + "TLS handshake failed: the agent's certificate is not trusted"
          + " (pass the CA that issued it with --tls-ca FILE)";
      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "--tls", "stats"),
          untrusted);
      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "--tls-ca",
          otherCa.toString(), "stats"), untrusted);
    }
  }

  @Test
  void anMtlsAgentAcceptsOnlyAClientCertificateFromItsCa() throws IOException {
    try (FakeAgent agent = FakeAgent.loopback(serverTls(true))) {
      String required = "cannot reach agent at " + agent.server() + ": TLS handshake failed:"
          + " the agent requires a client certificate issued by its CA (pass --tls-cert FILE"
          + " and --tls-key FILE)";

      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "--tls-ca",
          ca.toString(), "stats"), required);
      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "--tls-ca",
          ca.toString(), "--tls-cert", stranger.cert().toString(), "--tls-key",
          stranger.key().toString(), "stats"), required);
      Result accepted = CliRunner.plaintext().run("--server", agent.server(), "--tls-ca",
          ca.toString(), "--tls-cert", client.cert().toString(), "--tls-key",
          client.key().toString(), "stats");
      assertThat(accepted.exitCode()).as(accepted.err()).isZero();
      assertThat(accepted.out()).startsWith("Node:");
    }
  }

  @Test
  void tlsToAPlaintextAgentSaysItMayBePlaintext() throws IOException {
    try (FakeAgent agent = FakeAgent.loopback()) {
      assertFailure(CliRunner.plaintext().run("--server", agent.server(), "--tls-ca",
          ca.toString(), "stats"), "cannot reach agent at " + agent.server()
          + ": TLS handshake failed: the agent did not answer in TLS (is it serving plaintext?"
          + " drop --tls and --tls-ca)");
    }
  }

  @Test
  void badTlsFilesAreInvalidInputNamingTheOptionAndTheFile() throws IOException {
    try (FakeAgent agent = FakeAgent.loopback()) {
      Path missing = dir.resolve("missing.crt");
      Path garbage = Files.writeString(dir.resolve("garbage.key"), "hello\n");
      CliRunner cli = CliRunner.plaintext();

      Result noCa = cli.run("--server", agent.server(), "--tls-ca", missing.toString(), "stats");
      assertThat(noCa.exitCode()).isEqualTo(2);
      assertThat(noCa.err()).isEqualTo("--tls-ca: " + missing + ": file not found\n");

      Result badKey = cli.run("--server", agent.server(), "--tls-cert", client.cert().toString(),
          "--tls-key", garbage.toString(), "stats");
      assertThat(badKey.exitCode()).isEqualTo(2);
      assertThat(badKey.err())
          .startsWith("--tls-key: " + garbage + ": no PEM private key found")
          .doesNotContain("\tat ");

      Result halfPair = cli.run("--server", agent.server(), "--tls-cert",
          client.cert().toString(), "stats");
      assertThat(halfPair.exitCode()).isEqualTo(2);
      assertThat(halfPair.err()).startsWith("--tls-cert needs --tls-key");
      assertThat(agent.headers().headers()).as("nothing sent").isEmpty();
    }
  }

  private static void assertFailure(Result result, String line) {
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(line + "\n");
  }

  private ServerCredentials serverTls(boolean requireClientCertificates) throws IOException {
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
        .keyManager(server.cert().toFile(), server.key().toFile());
    if (requireClientCertificates) {
      builder.trustManager(ca.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }
}
