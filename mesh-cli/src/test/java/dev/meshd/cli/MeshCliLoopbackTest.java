package dev.meshd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.connect.BearerTokenInterceptor;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestNodes;
import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's real channel factory against real sockets on 127.0.0.1. */
class MeshCliLoopbackTest {

  @Test
  void listsNodesAndSendsTheTokenOverTcp() {
    try (FakeAgent agent = FakeAgent.loopback()) {
      agent.service().nodes(TestNodes.threeUnsorted());

      Result result =
          CliRunner.against(agent)
              .run("--server", agent.server(), "--token", "t0ken", "list-nodes");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(result.out().lines()).hasSize(4).first().asString().startsWith("NODE ");
      assertThat(agent.headers().headers()).singleElement()
          .satisfies(headers -> assertThat(headers.get(BearerTokenInterceptor.AUTHORIZATION))
              .isEqualTo("Bearer t0ken"));
    }
  }

  @Test
  void serverComesFromTheEnvironment() {
    try (FakeAgent agent = FakeAgent.loopback()) {
      Result result =
          CliRunner.against(agent).withEnv(Map.of("MESHD_SERVER", agent.server())).run("stats");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).startsWith("Node:");
    }
  }

  @Test
  void unreachableAgentIsOneLineAndExitOne() throws IOException {
    int port = FreePorts.loopback();
    CliRunner cli = CliRunner.plaintext();

    Result result = cli.run("--server", "127.0.0.1:" + port, "list-nodes");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo("cannot reach agent at 127.0.0.1:" + port + ": connection refused\n");
  }
}
