package dev.meshd.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {

  @TempDir Path dir;

  @Test
  void tokensAndDigestsBothAuthenticate() throws Exception {
    String digest = HexFormat.of().formatHex(TokenRegistry.sha256("viewer-secret-0123456789"));
    Path file = write("""
        tokens:
          - {name: ops-team, role: operator, token: "operator-secret-0123456789"}
          - name: ci
            role: viewer
            sha256: %s
          - {name: root, role: admin, token: "admin-secret-0123456789"}
        """.formatted(digest));

    TokenRegistry registry = new TokenRegistry(TokensFile.read(file), Optional.empty());

    assertThat(registry.authenticate("operator-secret-0123456789"))
        .contains(new Caller("ops-team", Role.OPERATOR));
    assertThat(registry.authenticate("viewer-secret-0123456789"))
        .contains(new Caller("ci", Role.VIEWER));
    assertThat(registry.authenticate("admin-secret-0123456789"))
        .contains(new Caller("root", Role.ADMIN));
    assertThat(registry.authenticate("guess")).isEmpty();
  }

  @Test
  void everyProblemIsReportedWithFileLineAndKey() throws Exception {
    Path file = write("""
        tokens:
          - {name: a, role: operator, token: "long-enough-secret-123"}
          - {name: a, role: viewer, token: "another-long-secret-123"}
          - {name: b, role: agent, token: "agent-role-is-reserved-1"}
          - {name: c, role: viewer, token: short}
          - {name: d, role: viewer, sha256: nothex}
          - {name: e, role: viewer}
          - {name: f, role: viewer, token: "long-enough-secret-456", colour: red}
        """);

    assertThatThrownBy(() -> TokensFile.read(file))
        .hasMessageContaining("tokens.yaml:3: tokens[1].name: \"a\" appears twice")
        .hasMessageContaining("tokens.yaml:4: tokens[2].role: \"agent\" (expected: viewer, "
            + "operator or admin)")
        .hasMessageContaining("tokens.yaml:5: tokens[3].token: too short")
        .hasMessageContaining("tokens.yaml:6: tokens[4].sha256: expected 64 hex digits")
        .hasMessageContaining("tokens.yaml:7: tokens[5]: expected exactly one of token and sha256")
        .hasMessageContaining("tokens.yaml:8: tokens[6].colour: unknown key");
  }

  @Test
  void missingAndMalformedFilesAreOneLine() throws Exception {
    assertThatThrownBy(() -> TokensFile.read(dir.resolve("nope.yaml")))
        .hasMessageEndingWith("nope.yaml: tokens file not found");
    Path notYaml = write("tokens: [unclosed");
    assertThatThrownBy(() -> TokensFile.read(notYaml)).hasMessageContaining("not valid YAML");
    Path wrongShape = write("users: []\n");
    assertThatThrownBy(() -> TokensFile.read(wrongShape))
        .hasMessageContaining("tokens.yaml:1: users: unknown key")
        .hasMessageContaining("tokens: missing");
  }

  @Test
  void agentCredentialComesFromTheClusterKeyOnly() {
    var key = dev.meshd.core.security.ClusterKey.generate(new java.security.SecureRandom());
    TokenRegistry registry = new TokenRegistry(List.of(), Optional.of(key));
    assertThat(registry.authenticate(TokenRegistry.agentToken(key)))
        .contains(new Caller("agent", Role.AGENT));
    var other = dev.meshd.core.security.ClusterKey.generate(new java.security.SecureRandom());
    assertThat(registry.authenticate(TokenRegistry.agentToken(other))).isEmpty();
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("tokens.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
