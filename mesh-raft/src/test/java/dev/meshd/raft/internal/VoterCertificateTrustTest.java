package dev.meshd.raft.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.security.PemFiles;
import dev.meshd.core.security.TlsFiles;
import dev.meshd.testkit.TestCertificateAuthority;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoterCertificateTrustTest {

  private static final TestCertificateAuthority AUTHORITY =
      TestCertificateAuthority.create("fleet-ca");

  @TempDir Path dir;
  private final AtomicReference<Set<String>> voters =
      new AtomicReference<>(Set.of("10.0.0.11", "10.0.0.12"));
  private VoterCertificateTrust trust;

  @BeforeEach
  void trustTheFleetCa() {
    Path ca = AUTHORITY.writeCertificate(dir.resolve("ca.crt"));
    trust = new VoterCertificateTrust(
        (X509ExtendedTrustManager) TlsFiles.trustManagers(ca)[0], voters::get);
  }

  @Test
  void aVotersCertificateIsTrustedAsAClient() {
    X509Certificate[] voter = chain(AUTHORITY, "node2", "10.0.0.12");

    assertThatCode(() -> trust.checkClientTrusted(voter, "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
  }

  @Test
  void aCertificateFromTheFleetCaThatNamesNoVoterIsRefusedNamingWhatItNames() {
    X509Certificate[] operator = chain(AUTHORITY, "alice", "alice.example.internal");
    X509Certificate[] gpuNode = chain(AUTHORITY, "node7", "10.0.0.17");

    assertThatThrownBy(() -> trust.checkClientTrusted(operator, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("the client certificate CN=alice [DNS:alice.example.internal] names none of "
            + "the Raft group's voters (hosts [10.0.0.11, 10.0.0.12]); only voters may connect "
            + "to the Raft port");
    assertThatThrownBy(() -> trust.checkClientTrusted(gpuNode, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("CN=node7 [IP:10.0.0.17] names none");
  }

  @Test
  void theVotersAreAskedAtEachHandshakeSoMembershipChangesApply() throws Exception {
    X509Certificate[] newcomer = chain(AUTHORITY, "node4", "10.0.0.14");
    assertThatThrownBy(() -> trust.checkClientTrusted(newcomer, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);

    voters.set(Set.of("10.0.0.11", "10.0.0.12", "10.0.0.14"));
    trust.checkClientTrusted(newcomer, "ECDHE_ECDSA");

    voters.set(Set.of("10.0.0.11", "10.0.0.14"));
    X509Certificate[] removed = chain(AUTHORITY, "node2", "10.0.0.12");
    assertThatThrownBy(() -> trust.checkClientTrusted(removed, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void aForeignCertificateIsRefusedByTheChainCheckEvenWhenItNamesAVoter() {
    X509Certificate[] forged =
        chain(TestCertificateAuthority.create("other-ca"), "node1", "10.0.0.11");

    assertThatThrownBy(() -> trust.checkClientTrusted(forged, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageNotContaining("voters");
  }

  @Test
  void serversAreCheckedByTheCaAloneWhatVoterTheyAre() throws Exception {
    // Dialling a voter: the name check against the dialled host is the TLS client's; the voter
    // list does not apply (it lists the hosts this voter accepts connections from).
    X509Certificate[] served = chain(AUTHORITY, "node9", "10.0.0.19");
    trust.checkServerTrusted(served, "ECDHE_ECDSA");

    X509Certificate[] foreign = chain(TestCertificateAuthority.create("x-ca"), "n", "10.0.0.11");
    assertThatThrownBy(() -> trust.checkServerTrusted(foreign, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  private X509Certificate[] chain(TestCertificateAuthority authority, String name, String san) {
    Path file = authority.issue(dir.resolve(name + "-" + authority.hashCode()), name,
        List.of(san)).cert();
    return PemFiles.certificates(file).toArray(X509Certificate[]::new);
  }
}
