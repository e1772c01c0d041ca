package dev.meshd.raft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.config.TlsConfig;
import dev.meshd.testkit.TestCertificateAuthority;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatisTlsTest {

  @TempDir Path dir;

  @Test
  void withoutTlsRatisGetsNoTlsConfigurationAndStaysPlaintext() {
    assertThat(GrpcConfigKeys.TLS.conf(RatisTls.parameters(Optional.empty()))).isNull();
    assertThat(RatisTls.describe(Optional.empty())).isEqualTo("plaintext");
  }

  @Test
  void aCaTurnsOnMutualTlsAndNoCaLeavesClientCertificatesOff() {
    TestCertificateAuthority authority = TestCertificateAuthority.create("ca");
    Path ca = authority.writeCertificate(dir.resolve("ca.crt"));
    TestCertificateAuthority.Issued node = authority.issue(dir, "node1");

    GrpcTlsConfig mutual = GrpcConfigKeys.TLS.conf(RatisTls.parameters(
        Optional.of(new TlsConfig(node.cert(), node.key(), ca))));
    assertThat(mutual).isNotNull();
    assertThat(mutual.getMtlsEnabled()).isTrue();
    assertThat(mutual.getKeyManager().getKeyManager()).isNotNull();
    assertThat(mutual.getTrustManager().getTrustManager()).isNotNull();

    GrpcTlsConfig serverOnly = GrpcConfigKeys.TLS.conf(RatisTls.parameters(
        Optional.of(new TlsConfig(node.cert(), node.key(), null))));
    assertThat(serverOnly.getMtlsEnabled()).isFalse();
    // The JDK's default trust store, named explicitly: Ratis fails on a missing trust manager.
    assertThat(serverOnly.getTrustManager().getTrustManager()).isNotNull();
  }

  @Test
  void aBadFileIsReportedWithItsConfigKey() {
    TestCertificateAuthority authority = TestCertificateAuthority.create("ca");
    TestCertificateAuthority.Issued node = authority.issue(dir, "node1");

    assertThatThrownBy(() -> RatisTls.parameters(Optional.of(
        new TlsConfig(node.cert(), dir.resolve("missing.key"), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("security.tls.key: " + dir.resolve("missing.key"));
    assertThatThrownBy(() -> RatisTls.parameters(Optional.of(
        new TlsConfig(node.cert(), node.key(), dir.resolve("missing-ca.crt")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("security.tls.ca: ");
  }
}
