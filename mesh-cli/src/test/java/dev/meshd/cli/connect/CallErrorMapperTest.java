package dev.meshd.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallErrorMapperTest {

  private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 7070);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void refusedConnectionAnywhereInTheCauseChain() {
    Status status = Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new IOException("wrapped", new ConnectException("Connection refused")));

    assertThat(describe(status))
        .isEqualTo("cannot reach agent at 127.0.0.1:7070: connection refused");
  }

  @Test
  void unknownHost() {
    Status status = Status.UNAVAILABLE.withCause(new UnknownHostException("nohost"));

    assertThat(describe(status)).isEqualTo("cannot reach agent at 127.0.0.1:7070: unknown host");
  }

  @Test
  void otherTransportFailureQuotesTheRootCause() {
    Status status = Status.UNAVAILABLE.withCause(new IOException("Broken pipe"));

    assertThat(describe(status)).isEqualTo("cannot reach agent at 127.0.0.1:7070: Broken pipe");
  }

  @Test
  void tlsHandshakeFailuresNameTheLikelyCause() {
    Status wrongName = Status.UNAVAILABLE.withCause(new javax.net.ssl.SSLHandshakeException(
        "No subject alternative names matching IP address 127.0.0.1 found"));
    Status expired = Status.UNAVAILABLE.withCause(new javax.net.ssl.SSLHandshakeException(
        "PKIX path validation failed", new java.security.cert.CertificateExpiredException(
            "NotAfter: Mon Jan 01 00:00:00 UTC 2024")));

    assertThat(describeTls(wrongName)).isEqualTo("cannot reach agent at 127.0.0.1:7070: TLS"
        + " handshake failed: the agent's certificate does not name 127.0.0.1 (its SANs must"
        + " include the host given to --server)");
    // "PKIX" alone would say untrusted: the expiry is the more precise cause.
    assertThat(describeTls(expired)).isEqualTo("cannot reach agent at 127.0.0.1:7070: TLS"
        + " handshake failed: the agent's certificate has expired or is not valid yet");
  }

  @Test
  void networkClosedIsAHintAboutTlsOnlyForPlaintextCalls() {
    Status closed = Status.UNAVAILABLE.withDescription("Network closed for unknown reason");

    assertThat(describe(closed)).contains("is the agent serving TLS? try --tls-ca FILE");
    assertThat(describeTls(closed)).isEqualTo("unavailable: Network closed for unknown reason");
    Status reset = Status.UNAVAILABLE.withCause(new IOException(
        "recvAddress(..) failed with error(-104): Connection reset by peer"));
    assertThat(describe(reset)).contains("is the agent serving TLS? try --tls-ca FILE");
    assertThat(describeTls(reset)).isEqualTo("cannot reach agent at 127.0.0.1:7070:"
        + " recvAddress(..) failed with error(-104): Connection reset by peer");
  }

  @Test
  void deadline() {
    assertThat(describe(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 9.9s")))
        .isEqualTo("cannot reach agent at 127.0.0.1:7070: no answer within 10s");
  }

  @Test
  void unavailableSentByTheAgentIsARefusal() {
    assertThat(describe(Status.UNAVAILABLE.withDescription("no quorum")))
        .isEqualTo("unavailable: no quorum");
  }

  @Test
  void statusInWordsAndTheDescriptionOnOneLine() {
    assertThat(describe(Status.NOT_FOUND.withDescription("node \"x\"")))
        .isEqualTo("not found: node \"x\"");
    assertThat(describe(Status.FAILED_PRECONDITION.withDescription("revision 3\n(expected: 4)")))
        .isEqualTo("failed precondition: revision 3 (expected: 4)");
    assertThat(describe(Status.PERMISSION_DENIED.withDescription("role viewer cannot write")))
        .isEqualTo("permission denied: role viewer cannot write");
  }

  @Test
  void unauthenticatedSaysWhereTheTokenGoes() {
    assertThat(describe(Status.UNAUTHENTICATED))
        .isEqualTo("unauthenticated (pass a token with --token or MESHD_TOKEN)");
    assertThat(describe(Status.UNAUTHENTICATED.withDescription("missing bearer token")))
        .isEqualTo(
            "unauthenticated: missing bearer token (pass a token with --token or MESHD_TOKEN)");
  }

  private static String describe(Status status) {
    return CallErrorMapper.describe(status.asRuntimeException(), SERVER, TIMEOUT);
  }

  private static String describeTls(Status status) {
    return CallErrorMapper.describe(status.asRuntimeException(), SERVER, TIMEOUT, true);
  }
}
