package dev.meshd.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.testkit.TestCertificateAuthority;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateHostsTest {

  private static final TestCertificateAuthority AUTHORITY =
      TestCertificateAuthority.create("hosts-ca");

  @TempDir Path dir;

  @Test
  void anIpHostMatchesAnIpNameAsAnAddress() {
    X509Certificate cert = issued("10.0.0.11", "::1");

    assertThat(CertificateHosts.names(cert, "10.0.0.11")).isTrue();
    assertThat(CertificateHosts.names(cert, "10.0.0.12")).isFalse();
    assertThat(CertificateHosts.names(cert, "0:0:0:0:0:0:0:1")).isTrue();
    assertThat(CertificateHosts.names(cert, "[::1]")).isTrue();
    assertThat(CertificateHosts.names(cert, "::2")).isFalse();
  }

  @Test
  void aHostNameMatchesDnsNamesIgnoringCaseWithAWildcardForOneLabel() {
    X509Certificate cert = issued("Node1.Example.internal", "*.raft.example.internal");

    assertThat(CertificateHosts.names(cert, "node1.example.INTERNAL")).isTrue();
    assertThat(CertificateHosts.names(cert, "node1.example.internal.")).isTrue();
    assertThat(CertificateHosts.names(cert, "node2.example.internal")).isFalse();
    assertThat(CertificateHosts.names(cert, "cp1.raft.example.internal")).isTrue();
    assertThat(CertificateHosts.names(cert, "a.cp1.raft.example.internal")).isFalse();
    assertThat(CertificateHosts.names(cert, "raft.example.internal")).isFalse();
  }

  @Test
  void namesAndAddressesNeverMatchEachOtherAndNothingIsLookedUp() {
    X509Certificate byName = issued("localhost");
    X509Certificate byAddress = issued("127.0.0.1");

    assertThat(CertificateHosts.names(byName, "127.0.0.1")).isFalse();
    assertThat(CertificateHosts.names(byAddress, "localhost")).isFalse();
    // Not an address (an octet over 255) and not a name it carries: no match, no lookup.
    assertThat(CertificateHosts.names(byAddress, "127.0.0.256")).isFalse();
  }

  @Test
  void theCommonNameIsNotAName() {
    X509Certificate cert =
        certificate(AUTHORITY.issue(dir, "node1.example.internal", List.of("other")).cert());

    assertThat(CertificateHosts.names(cert, "node1.example.internal")).isFalse();
    assertThat(CertificateHosts.describe(cert)).containsExactly("DNS:other");
  }

  @Test
  void describeListsTheNamesWithTheirKinds() {
    assertThat(CertificateHosts.describe(issued("10.0.0.11", "node1.example.internal")))
        .containsExactly("IP:10.0.0.11", "DNS:node1.example.internal");
  }

  private X509Certificate issued(String... names) {
    return certificate(AUTHORITY.issue(dir, "leaf", List.of(names)).cert());
  }

  private static X509Certificate certificate(Path file) {
    return PemFiles.certificates(file).getFirst();
  }
}
