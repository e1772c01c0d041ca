package dev.meshd.fabric.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCertificateTest {

  @TempDir Path dataDir;

  @Test
  void generatesAnEcP256CertificateNamedAfterTheNode() throws Exception {
    AgentCertificate cert = AgentCertificate.generate("node-a");

    assertThat(cert.commonName()).isEqualTo("node-a");
    assertThat(cert.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) cert.certificate().getPublicKey()).getParams().getCurve()
        .getField().getFieldSize()).isEqualTo(256);
    assertThat(cert.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
    cert.certificate().verify(cert.certificate().getPublicKey());
    assertThat(cert.certificate().getNotAfter().toInstant().toString())
        .startsWith("9999-12-31");
  }

  @Test
  void fingerprintIsTheLowerCaseHexSha256OfTheDerCertificate() throws Exception {
    AgentCertificate cert = AgentCertificate.generate("node-a");

    String expected = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(cert.certificate().getEncoded()));
    assertThat(cert.sha256()).isEqualTo(expected).matches("[0-9a-f]{64}");
  }

  @Test
  void storesThePairAndLoadsTheSameFingerprintOnTheNextStart() throws IOException {
    Path dir = dataDir.resolve("fabric");

    AgentCertificate first = AgentCertificate.loadOrCreate(dir, "node-a");
    AgentCertificate second = AgentCertificate.loadOrCreate(dir, "node-a");

    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(second.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    assertThat(Files.readString(dir.resolve(AgentCertificate.CERTIFICATE_FILE)))
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(dir.resolve(AgentCertificate.KEY_FILE)))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(AgentCertificate.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void keepsTheCertificateWhenTheNodeIsRenamed() throws IOException {
    AgentCertificate first = AgentCertificate.loadOrCreate(dataDir, "node-a");

    AgentCertificate renamed = AgentCertificate.loadOrCreate(dataDir, "node-b");

    assertThat(renamed.sha256()).isEqualTo(first.sha256());
    assertThat(renamed.commonName()).isEqualTo("node-a");
  }

  @Test
  void tightensAKeyFileOthersCanRead() throws IOException {
    AgentCertificate.loadOrCreate(dataDir, "node-a");
    Path key = dataDir.resolve(AgentCertificate.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    AgentCertificate.loadOrCreate(dataDir, "node-a");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void corruptCertificateIsAnErrorNamingTheFileAndTheRemedy() throws IOException {
    AgentCertificate.loadOrCreate(dataDir, "node-a");
    Path cert = dataDir.resolve(AgentCertificate.CERTIFICATE_FILE);
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n"
        + "-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> AgentCertificate.loadOrCreate(dataDir, "node-a"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cert.toString())
        .hasMessageContaining("delete it to generate a new certificate");
  }

  @Test
  void keyFileThatIsNotPemIsAnErrorNamingTheFile() throws IOException {
    AgentCertificate.loadOrCreate(dataDir, "node-a");
    Path key = dataDir.resolve(AgentCertificate.KEY_FILE);
    Files.writeString(key, "garbage\n");

    assertThatThrownBy(() -> AgentCertificate.loadOrCreate(dataDir, "node-a"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("expected a PEM PRIVATE KEY")
        .hasMessageContaining("delete it");
  }

  @Test
  void keyOfAnotherCertificateIsAnError() throws IOException {
    AgentCertificate.loadOrCreate(dataDir.resolve("a"), "node-a");
    AgentCertificate.loadOrCreate(dataDir.resolve("b"), "node-b");
    Files.copy(dataDir.resolve("b").resolve(AgentCertificate.KEY_FILE),
        dataDir.resolve("a").resolve(AgentCertificate.KEY_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> AgentCertificate.loadOrCreate(dataDir.resolve("a"), "node-a"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not hold the key of")
        .hasMessageContaining("delete both files");
  }

  @Test
  void deletingTheCorruptFileRegeneratesThePair() throws IOException {
    AgentCertificate first = AgentCertificate.loadOrCreate(dataDir, "node-a");
    Files.delete(dataDir.resolve(AgentCertificate.CERTIFICATE_FILE));

    AgentCertificate regenerated = AgentCertificate.loadOrCreate(dataDir, "node-a");

    assertThat(regenerated.sha256()).isNotEqualTo(first.sha256());
    assertThat(AgentCertificate.loadOrCreate(dataDir, "node-a").sha256())
        .isEqualTo(regenerated.sha256());
  }
}
