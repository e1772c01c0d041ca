package dev.meshd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.connect.BearerTokenInterceptor;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Global options, usage errors and exit codes, over an in-process agent. */
class MeshCliTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "lsit-nodes", "list-nodes --bogus", "-o xml list-nodes", "--server nohost stats",
        "--server 127.0.0.1:0 stats", "--timeout 0s stats", "--timeout soon stats",
        "describe-node a b", "policy", "policy bogus", "placement", "raft", "raft snapshot",
        "policy get a b", "raft status extra", "placement put -f", "drain", "drain a b",
        "uncordon", "drain  ", "uncordon a --expected-revision -1"
      })
  void badUsageExitsTwoWithTheReasonOnStderr(String args) {
    Result result = cli.run(args.isEmpty() ? new String[0] : args.split(" "));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isNotBlank().contains("--help").doesNotContain("\tat ");
    assertThat(agent.headers().headers()).as("nothing sent").isEmpty();
  }

  @Test
  void badOutputFormatSaysWhatIsExpected() {
    assertThat(cli.run("-o", "xml", "stats").err())
        .startsWith("Invalid value for option '--output': \"xml\" (expected: table, json or yaml)");
  }

  @Test
  void helpAndVersionExitZero() {
    Result help = cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains(
        "list-nodes", "describe-node", "stats", "policy", "placement", "drain", "uncordon",
        "raft", "--server");
    assertThat(cli.run("policy", "--help").out())
        .contains("put", "get", "list", "delete", "watch");
    assertThat(cli.run("raft", "snapshot", "save", "--help").out()).contains("--force");

    Result version = cli.run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("mesh-cli ");

    assertThat(cli.run("list-nodes", "--help").exitCode()).isZero();
  }

  @Test
  void tokenFromTheEnvironmentIsSentAsBearerHeader() {
    cli.withEnv(Map.of("MESHD_TOKEN", "s3cret")).run("stats");

    assertThat(agent.headers().headers()).singleElement()
        .satisfies(headers -> assertThat(headers.get(
            BearerTokenInterceptor.AUTHORIZATION))
            .isEqualTo("Bearer s3cret"));
  }

  @Test
  void noTokenNoHeader() {
    cli.withEnv(Map.of("MESHD_TOKEN", "")).run("stats");

    assertThat(agent.headers().headers()).singleElement()
        .satisfies(headers -> assertThat(headers.get(
            BearerTokenInterceptor.AUTHORIZATION)).isNull());
  }

  @Test
  void invalidServerFromTheEnvironmentIsAUsageError() {
    Result result = cli.withEnv(Map.of("MESHD_SERVER", "not-an-address")).run("stats");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("\"not-an-address\" (expected: HOST:PORT");
  }

  @Test
  void silentAgentExitsOneAfterTheTimeout() {
    agent.service().silent();

    Result result = cli.run("--server", "10.1.2.3:7070", "--timeout", "200ms", "stats");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("cannot reach agent at 10.1.2.3:7070: no answer within 200ms\n");
  }
}
