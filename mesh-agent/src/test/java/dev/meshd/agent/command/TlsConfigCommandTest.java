package dev.meshd.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.agent.MeshAgentMain;
import dev.meshd.testkit.TestCertificateAuthority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad security.tls file stops {@code start} and {@code validate} with one line per file. */
class TlsConfigCommandTest {

  @TempDir Path dir;

  @Test
  void startAndValidateRefuseABadKeyNamingTheConfigKeyAndTheFile() throws Exception {
    TestCertificateAuthority.create("fleet-ca").issue(dir, "agent");
    Path badKey = Files.writeString(dir.resolve("agent-bad.key"), "not a key\n");
    Path config = Files.writeString(dir.resolve("node1.yaml"), """
        node: {id: node1, roles: [gpu]}
        gpus: {source: simulated, simulated: [{model: X, vram-gb: 1}]}
        security:
          tls: {cert: agent.crt, key: agent-bad.key}
        """);

    for (String command : new String[] {"start", "validate"}) {
      Run run = run(command, "--config", config.toString());

      assertThat(run.code).as(command).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(run.err).as(command)
          .contains("node1.yaml:4:", "security.tls.key",
              badKey.toAbsolutePath().normalize() + ": no PEM private key found")
          .doesNotContain("Exception", "\tat ");
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MeshAgentMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
