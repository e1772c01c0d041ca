package dev.meshd.cli.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.DeletePlacementRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeletePlacementCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().placement(TestDocuments.pipeline());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void deletesAndPrintsTheRevisionOfTheDelete() {
    Result result = cli.run("placement", "delete", "llama-pipeline");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("placement \"llama-pipeline\" deleted at revision 16\n");
    assertThat(agent.policies().requests(DeletePlacementRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.hasExpectedRevision()).isFalse());
  }

  @Test
  void expectedRevisionIsSent() {
    Result result = cli.run("placement", "delete", "llama-pipeline", "--expected-revision", "15",
        "-o", "json");

    assertThat(result.exitCode()).isZero();
    assertThat(agent.policies().requests(DeletePlacementRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.hasExpectedRevision()).isTrue();
          assertThat(request.getExpectedRevision()).isEqualTo(15);
        });
    assertThat(result.out()).isEqualTo("{\n  \"revision\": \"16\"\n}\n");
  }

  @Test
  void yaml() {
    Result result = cli.run("placement", "delete", "llama-pipeline", "-o", "yaml");

    assertThat(result.out()).isEqualTo("revision: \"16\"\n");
  }

  @Test
  void notFoundAndUsageErrors() {
    Result missing = cli.run("placement", "delete", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("not found: placement \"nope\"\n");

    assertThat(cli.run("placement", "delete", "").exitCode()).isEqualTo(2);
    assertThat(cli.run("placement", "delete", "x", "--expected-revision", "-3").exitCode())
        .isEqualTo(2);
  }
}
